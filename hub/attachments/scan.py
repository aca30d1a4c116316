"""The virus-scan hook: a configured command is given each file before it is accepted (decision 0047).

The command reads the file on its standard input and answers by its exit status, as ``clamdscan -``
and ``clamscan -`` do: 0 clean, 1 infected, anything else (or no answer in time) an error. An ICAP
server is reached the same way, through its client (``c-icap-client``) wrapped in such a command.
"""

from __future__ import annotations

import subprocess

from hub.attachments.errors import AttachmentInfected, ScanUnavailable
from hub.attachments.settings import AttachmentSettings

CLEAN, INFECTED = 0, 1


class VirusScan:
    def __init__(self, settings: AttachmentSettings) -> None:
        self.command = settings.scan_command
        self.timeout_s = settings.scan_timeout_s

    def check(self, data: bytes) -> None:
        """Returns if the file is clean or no scanner is configured; raises otherwise."""
        if not self.command:
            return
        try:
            done = subprocess.run(self.command, input=data, capture_output=True, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise ScanUnavailable(f"no answer within {self.timeout_s:g} s") from None
        except OSError as error:
            raise ScanUnavailable(error.strerror or "the scanner could not be started") from None
        if done.returncode == INFECTED:
            raise AttachmentInfected()
        if done.returncode != CLEAN:
            raise ScanUnavailable(f"the scanner exited with status {done.returncode}")
