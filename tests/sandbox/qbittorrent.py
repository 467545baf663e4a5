"""Start a real qbittorrent-nox on a free port with a known password, in a temporary profile."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

USERNAME = "admin"
PASSWORD = "plex-kiosk-sandbox"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """qBittorrent's ``WebUI\\Password_PBKDF2`` value for a password."""
    salt = salt or os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100000, 64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()})"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


QBT5_TOOL = Path(__file__).parents[3] / "shared" / "tools" / "qbittorrent5"
QBT5_DIR = Path(__file__).parents[2] / ".qbt5"  # where .ci/run (or a developer) installs it


def qbittorrent5() -> list[str] | None:
    """The command that runs qBittorrent 5 (Debian 13's qbittorrent-nox unpacked into
    ``.qbt5`` by ``../shared/tools/qbittorrent5 install``), or None when it is not there."""
    tool = Path(os.environ.get("PLEX_KIOSK_QBT5_TOOL", QBT5_TOOL))
    folder = Path(os.environ.get("PLEX_KIOSK_QBT5_DIR", QBT5_DIR))
    if tool.is_file() and (folder / "root/usr/bin/qbittorrent-nox").exists():
        return ["bash", str(tool), "run", str(folder)]
    return None


@dataclass
class QBittorrent:
    """A running qbittorrent-nox."""

    process: subprocess.Popen[bytes]
    url: str
    profile: Path
    downloads: Path
    port: int
    command: tuple[str, ...] = ()

    def stop(self) -> None:
        """Stop it and wait."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        """Stop and start again with the same profile and port."""
        self.stop()
        self.process = _spawn(self.profile, self.command)
        _wait(self.url)


def write_config(profile: Path, port: int, downloads: Path, password: str = PASSWORD) -> None:
    """The headless configuration (legal notice accepted, no DHT/PeX/LSD, no CSRF checks)."""
    config = profile / "qBittorrent" / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "qBittorrent.conf").write_text(
        "[LegalNotice]\nAccepted=true\n\n"
        "[BitTorrent]\nSession\\DHTEnabled=false\nSession\\PeXEnabled=false\n"
        "Session\\LSDEnabled=false\nSession\\DefaultSavePath=" + str(downloads) + "\n"
        "Session\\Port=" + str(free_port()) + "\n\n"
        "[Preferences]\nWebUI\\Address=127.0.0.1\nWebUI\\Port=" + str(port) + "\n"
        "WebUI\\Username=" + USERNAME + "\n"
        'WebUI\\Password_PBKDF2="' + password_hash(password) + '"\n'
        "WebUI\\HostHeaderValidation=false\nWebUI\\CSRFProtection=false\n"
        "WebUI\\LocalHostAuth=true\nWebUI\\MaxAuthenticationFailCount=1000\n"
        "Downloads\\SavePath=" + str(downloads) + "\n",
        encoding="utf-8",
    )


def _spawn(profile: Path, command: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(command or (shutil.which("qbittorrent-nox") or "qbittorrent-nox",)),
            f"--profile={profile}",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/app/webapiVersion", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # 403 before login: the Web UI is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"qbittorrent-nox did not start at {url}")


def start(root: Path, port: int | None = None, command: tuple[str, ...] = ()) -> QBittorrent:
    """Start qbittorrent-nox (Debian's 4.5, or ``command``) with its profile and download
    folder under ``root``."""
    profile, downloads = root / "profile", root / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    write_config(profile, port, downloads)
    url = f"http://127.0.0.1:{port}"
    qbt = QBittorrent(_spawn(profile, command), url, profile, downloads, port, command)
    _wait(url)
    return qbt
