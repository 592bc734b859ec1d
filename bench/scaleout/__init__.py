"""Two app servers behind nginx, a PostGIS primary with a streaming replica, Redis: `python -m bench.scaleout`."""
