"""Sign-in by a one-time link or code sent to a registered address (docs/decisions/0048).

A person's address is registered by the hub's operators or by the head of the person's own agency. Asking for
a link gives the same answer whether the address is known or not; a known one is sent a link and a six-digit
code, each good once, for ``HUB_SIGN_IN_LINK_MINUTES`` (default 10), at most ``HUB_SIGN_IN_LINKS_PER_HOUR``
(default 5) an hour, and a code takes at most five wrong tries. Using one issues the person a token of a
day, which starts a page session as the token sign-in does (0027); the token sign-in stays for machines
and administrators.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.sign_in_address import AddressState, SignInAddress, address_id_for
from hub.delivery.mailer import SendFailed, SmtpMailer
from hub.delivery.settings import DeliverySettings
from hub.errors import InvalidInput, NotFound
from hub.permissions import may
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService
from hub.services.sign_in_link_table import LinkTable
from hub.services.tokens import TokenService

log = logging.getLogger(__name__)
MINUTES_ENV = "HUB_SIGN_IN_LINK_MINUTES"
PER_HOUR_ENV = "HUB_SIGN_IN_LINKS_PER_HOUR"
MOST_WRONG_CODES = 5
ISSUER = Actor("hub", "admin", "sign-in-by-link")  # who issues the token a link is exchanged for


@dataclass(frozen=True)
class LinkLimits:
    lifetime: timedelta = timedelta(minutes=10)
    per_hour: int = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LinkLimits:
        minutes, per_hour = env.get(MINUTES_ENV) or "10", env.get(PER_HOUR_ENV) or "5"
        if not (minutes.isdigit() and 1 <= int(minutes) <= 60 and per_hour.isdigit() and int(per_hour) >= 1):
            raise ValueError(f"{MINUTES_ENV} must be 1 to 60 minutes and {PER_HOUR_ENV} 1 or more")
        return cls(timedelta(minutes=int(minutes)), int(per_hour))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SignInLinkService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, tokens: TokenService, links: LinkTable,
        delivery: DeliverySettings, limits: LinkLimits,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.tokens = tokens
        self.links = links
        self.delivery = delivery
        self.limits = limits

    def register(self, actor: Actor, address: str, holder: Actor) -> None:
        """``holder``'s address; an agency's head registers its own staff only, as with tokens (0027)."""
        if "@" not in address.strip()[1:-1]:
            raise InvalidInput("address", "an e-mail address")
        if holder.agency != actor.agency and not may(
            self.directory.agency(actor.agency, field="agency").kind, actor.role, "token.any_agency"
        ):
            raise NotFound(f"no agency {holder.agency}")
        self.tokens.check_holder(holder)
        known = self.aggregates.find(address_id_for(address))
        if known is None:
            self.aggregates.save(SignInAddress(id=address_id_for(address), actor=actor, address=address, holder=holder))
        else:
            known.register_again(actor, holder)
            self.aggregates.save(known)

    def remove(self, actor: Actor, address: str) -> None:
        known = self._registered(address)
        if known is None or (known.holder.agency != actor.agency and not may(
            self.directory.agency(actor.agency, field="agency").kind, actor.role, "token.any_agency"
        )):
            raise NotFound("no such address")
        known.remove(actor)
        self.aggregates.save(known)

    def send(self, address: str) -> None:
        """Sends a link and a code to ``address`` if it is registered and under its hourly limit; otherwise
        nothing, and nobody learns which (the caller answers the same either way)."""
        known = self._registered(address)
        now = clock.now()
        if known is None or self.links.sent_since(known.id, now - timedelta(hours=1)) >= self.limits.per_hour:
            return
        if not self.delivery.email:
            log.warning("a sign-in link was asked for, but no HUB_SMTP_HOST is set to send it")
            return
        link, code = secrets.token_urlsafe(32), f"{secrets.randbelow(10**6):06d}"
        self.links.add(_hash(link), _hash(code), known.id, now, now + self.limits.lifetime)
        known.link_sent(actor=ISSUER)
        self.aggregates.save(known)
        try:
            SmtpMailer(self.delivery).send(self._message(known.address, link, code))
        except SendFailed as failure:
            log.warning("a sign-in link could not be sent: %s", failure)

    def redeem_link(self, link: str) -> str | None:
        """A new token's secret for the holder of a live, unused link; None otherwise."""
        return self._signed_in(self.links.use_link(_hash(link), clock.now()), "link")

    def redeem_code(self, address: str, code: str) -> str | None:
        used = self.links.use_code(address_id_for(address), _hash(code.strip()), clock.now(), MOST_WRONG_CODES)
        return self._signed_in(used, "code")

    def _signed_in(self, address_id: UUID | None, by: str) -> str | None:
        known = self.aggregates.find(address_id) if address_id is not None else None
        if known is None or known.state != AddressState.REGISTERED:
            return None
        known.signed_in(actor=ISSUER, by=by)
        self.aggregates.save(known)
        return self.tokens.issue_token(ISSUER, known.holder, days=1)

    def _registered(self, address: str) -> SignInAddress | None:
        known = self.aggregates.find(address_id_for(address))
        return known if known is not None and known.state == AddressState.REGISTERED else None

    def _message(self, address: str, link: str, code: str) -> EmailMessage:
        message = EmailMessage()
        message["From"], message["To"] = self.delivery.smtp_from, address
        message["Subject"] = "Referral Hub: sign in / Кіру / Вход"
        minutes = int(self.limits.lifetime.total_seconds() // 60)
        message.set_content(
            f"{self.delivery.public_url}/ui/login/link?t={link}\n\n"
            f"Code / Код: {code}\n\n"
            f"The link and the code work once, for {minutes} minutes. / "
            f"Ссылка и код действуют один раз, {minutes} мин. / Сілтеме мен код бір рет, {minutes} минут жарамды.\n"
        )
        return message
