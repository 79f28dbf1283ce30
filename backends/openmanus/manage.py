#!/usr/bin/env python3
"""Django's command-line utility for the openmanus reference backend.

`--data DIR` is read here, before Django loads its settings, because the SQLite file and the
signing keys live in that directory and settings are fixed once Django has started.
"""
import os
import sys


def main():
    argv = list(sys.argv)
    if "--data" in argv:
        i = argv.index("--data")
        if i + 1 < len(argv):
            os.environ["OPENMANUS_DATA_DIR"] = os.path.abspath(argv[i + 1])
            del argv[i : i + 2]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmanus_server.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
