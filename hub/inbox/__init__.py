"""The CAM/CSC referral inbox: what is new, what is mine, what is due, what waits on another body."""
