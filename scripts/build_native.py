"""Builds the optional native module (`native/`, Rust) into the active virtual environment.

The engine runs without it (pure Python, same format), so a machine without a Rust toolchain
still installs; this says so and exits 0. With `KEEPSAKE_NATIVE=1` (CI, release builds) a
failed build is an error instead. Crates come from crates.io, or, on Debian, offline from the
packaged `librust-*-dev` crates when those are installed (`.ci/run` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATE = ROOT / "native"
MODULE = "keepsake_native"
# Where Debian's librust-*-dev packages put their crate sources (a cargo "directory" source).
DEBIAN_CRATES = Path("/usr/share/cargo/registry")
DEBIAN_NEEDS = ("pyo3-0.17", "blake3-1.", "zstd-0.12", "ring-0.16")


def _cargo() -> str | None:
    found = shutil.which("cargo")
    if found:
        return found
    rustup = Path.home() / ".cargo" / "bin" / "cargo"
    return str(rustup) if rustup.exists() else None


def _debian_source() -> list[str]:
    """cargo flags that take every crate from Debian's packaged sources, if they are all there."""
    if not DEBIAN_CRATES.is_dir():
        return []
    present = [p.name for p in DEBIAN_CRATES.iterdir()]
    if not all(any(name.startswith(need) for name in present) for need in DEBIAN_NEEDS):
        return []
    return [
        "--offline",
        "--config",
        'source.crates-io.replace-with="debian"',
        "--config",
        f'source.debian.directory="{DEBIAN_CRATES}"',
    ]


def _library(target: Path) -> Path:
    names = {"linux": f"lib{MODULE}.so", "darwin": f"lib{MODULE}.dylib", "win32": f"{MODULE}.dll"}
    return target / "release" / names.get(sys.platform, f"lib{MODULE}.so")


def build() -> str | None:
    """Build and install the module; None on success, else why not."""
    cargo = _cargo()
    if cargo is None:
        return "no Rust toolchain (cargo) found"
    target = CRATE / "target"
    env = dict(os.environ, PYO3_PYTHON=sys.executable, CARGO_TARGET_DIR=str(target))
    command = [cargo, "build", "--release", "--quiet", *_debian_source()]
    done = subprocess.run(command, cwd=CRATE, env=env, check=False)
    if done.returncode != 0:
        return f"cargo build failed (exit {done.returncode})"
    built = _library(target)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    destination = Path(sysconfig.get_paths()["platlib"]) / f"{MODULE}{suffix}"
    temporary = destination.with_name(destination.name + ".tmp")
    shutil.copyfile(built, temporary)
    os.replace(temporary, destination)  # a running process keeps the module it loaded
    return None


def main() -> int:
    required = os.environ.get("KEEPSAKE_NATIVE") == "1"
    if os.environ.get("KEEPSAKE_NATIVE") == "0":
        print("native module: not built (KEEPSAKE_NATIVE=0)")
        return 0
    why = build()
    if why is None:
        print(f"native module: built and installed as {MODULE}")
        return 0
    print(f"native module: not built ({why}); the engine uses its Python path", file=sys.stderr)
    return 1 if required else 0


if __name__ == "__main__":
    sys.exit(main())
