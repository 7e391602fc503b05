"""One app per profile: a QLockFile says who runs, a QLocalServer lets a second launch wake it.

The second launch connects, says "show", and exits; the first brings its status window forward.
A lock left behind by a crashed app is stale (its process is gone) and is taken over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAKE = b"show\n"


def server_name(profile_id: str) -> str:
    return f"keepsake-{profile_id}"


class SingleInstance(QObject):
    """Call `acquire()`: True means this process is the one; False means another was woken."""

    activated = Signal()  # a second launch asked this one to show itself

    def __init__(self, lock_path: Path, profile_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = QLockFile(str(lock_path))
        self._lock.setStaleLockTime(0)  # stale only when the owning process is gone
        self._name = server_name(profile_id)
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def acquire(self, timeout_ms: int = 200) -> bool:
        if not self._lock.tryLock(timeout_ms):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                self._wake_other()
                return False
            raise OSError(f"cannot create the app lock file ({self._lock.error().name})")
        QLocalServer.removeServer(self._name)  # a crashed owner may have left its socket
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        if not server.listen(self._name):
            raise OSError(f"cannot listen for other launches: {server.errorString()}")
        self._server = server
        return True

    def release(self) -> None:
        for conn in self._clients:
            conn.abort()
        self._clients.clear()
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _wake_other(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if socket.waitForConnected(1000):
            socket.write(WAKE)
            socket.waitForBytesWritten(1000)
            socket.disconnectFromServer()

    def _on_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            self._clients.append(conn)
            conn.readyRead.connect(self._read_clients)

    def _read_clients(self) -> None:
        for conn in list(self._clients):
            if not conn.bytesAvailable():
                continue
            said = bytes(conn.readAll().data())
            self._clients.remove(conn)
            conn.disconnectFromServer()
            if said.startswith(WAKE.strip()):
                self.activated.emit()
