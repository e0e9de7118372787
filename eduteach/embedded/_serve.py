"""Run an OpenAI-compatible server module, exiting when the process that started it is gone.

Started as ``python _serve.py PARENT_PID MODULE ARGS...``. Without the watch, a web worker
killed with SIGKILL would leave a 2 GB model server running with nobody to stop it.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time


def _watch_parent(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            os._exit(0)
        time.sleep(1.0)


def main() -> None:
    """Start the parent watch, then run the server module as ``__main__``."""
    parent_pid, module, *args = sys.argv[1:]
    # This file's folder is sys.path[0]; its module names must not shadow the server's.
    sys.path.pop(0)
    threading.Thread(target=_watch_parent, args=(int(parent_pid),), daemon=True).start()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
