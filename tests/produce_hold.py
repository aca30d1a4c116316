"""A TCP proxy in front of a broker that can hold a client's Produce requests on their way: what a killed relay's
last request is, written to its socket and not yet appended by the broker (docs/decisions/0031).

The broker advertises the proxy's address, so every client reaches it through the proxy. ``hold()`` holds,
on the connections open at that moment, each Produce request and whatever follows it on its connection, until
``release()``; connections opened later (a new relay's) pass untouched. ``holding`` is set once a request is
held.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

PRODUCE = 0  # the Kafka protocol's api key of a Produce request


class _Line:
    """One client connection and its own connection to the broker."""

    def __init__(self, client: socket.socket, broker: socket.socket, holding: threading.Event) -> None:
        self.client, self.broker, self.holding = client, broker, holding
        self.hold = False
        self.queued: list[bytes] = []
        self.lock = threading.Lock()
        for pump in (self._upstream, self._downstream):
            threading.Thread(target=pump, daemon=True).start()

    def release(self) -> None:
        with self.lock:
            self.hold = False
            for frame in self.queued:
                self.broker.sendall(frame)
            self.queued.clear()

    def close(self) -> None:
        for end in (self.client, self.broker):
            with contextlib.suppress(OSError):
                end.close()

    def _upstream(self) -> None:
        """Client to broker, one request at a time: a request is a 4-byte size, then its api key first."""
        try:
            while (head := _read(self.client, 4)) is not None and (body := _read(self.client, struct.unpack(">i", head)[0])):
                with self.lock:
                    if self.hold and (self.queued or struct.unpack(">h", body[:2])[0] == PRODUCE):
                        self.queued.append(head + body)
                        self.holding.set()
                    else:
                        self.broker.sendall(head + body)
        except OSError:
            pass
        self.close()

    def _downstream(self) -> None:
        try:
            while chunk := self.broker.recv(65536):
                self.client.sendall(chunk)
        except OSError:
            pass
        self.close()


def _read(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class ProduceHold:
    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.broker_port = 0  # set before the first client connects (the broker advertises ``port``)
        self.holding = threading.Event()
        self.lines: list[_Line] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def hold(self) -> None:
        with self.lock:
            for line in self.lines:
                line.hold = True

    def release(self) -> None:
        with self.lock:
            for line in self.lines:
                line.release()

    def close(self) -> None:
        self.server.close()
        with self.lock:
            for line in self.lines:
                line.close()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.server.accept()
                broker = socket.create_connection(("127.0.0.1", self.broker_port))
                with self.lock:
                    self.lines.append(_Line(client, broker, self.holding))
