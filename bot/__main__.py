"""Command line: `python -m bot chat [--server URL | --standalone] | menu {check,show,publish} | worker |
migrate-keys [--apply] | train [--check]`."""

from __future__ import annotations

import sys

USAGE = ("usage: python -m bot chat [--server URL | --standalone] | menu {check,show,publish} | worker | "
         "migrate-keys [--apply] | train [--check]")


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "chat":
        from bot.terminal import main as chat_main

        return chat_main(rest)
    if command == "menu":
        from bot.wechat.menu import main as menu_main

        return menu_main(rest)
    if command == "worker":
        from bot.handoff.worker import main as worker_main

        return worker_main(rest)
    if command == "migrate-keys":
        from bot.keymigration import main as migrate_main

        return migrate_main(rest)
    if command == "train":
        from bot.train import main as train_main

        return train_main(rest)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
