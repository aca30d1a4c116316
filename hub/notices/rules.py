"""Notices of hub/policy/notices.yaml that the code names, because answering them changes another record."""

# The request to an NGO for an independent supporter (ngo N03 is produced as cam N08, decision 0034): its
# answer is a step of the case, and the NGO that accepted it is the supporter's body, told as a member.
SUPPORTER_REQUEST_RULES = ("cam:N08",)
