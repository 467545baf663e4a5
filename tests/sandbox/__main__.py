"""Run the sandbox: ``python -m tests.sandbox [--urls-file F] [--epoch ISO]``.

Prints (and optionally writes) a JSON object of service → base URL, then serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime
from pathlib import Path

from .server import BUILDERS, Sandbox, start
from .world import World, world_path


async def main() -> None:
    """Parse arguments, start the servers, wait forever."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--urls-file", type=Path)
    parser.add_argument("--epoch", help="ISO instant that relative world times count from")
    parser.add_argument("--port-base", type=int, default=0, help="first port (0: any free ports)")
    args = parser.parse_args()
    epoch = datetime.fromisoformat(args.epoch) if args.epoch else None
    world = World.load(world_path(), epoch)
    ports = None
    if args.port_base:
        ports = {name: args.port_base + i for i, name in enumerate(BUILDERS)}
    urls, _ = await start(Sandbox(world), ports=ports)
    text = json.dumps(urls | {"epoch": world.epoch.isoformat()})
    if args.urls_file:
        tmp = args.urls_file.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(args.urls_file)
    print(text, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
