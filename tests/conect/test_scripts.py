import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serving_on_a_taken_port_says_what_to_do_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            ["scripts/serve.sh"],
            cwd=ROOT,
            env=os.environ | {"PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"conect: port {port} on 127.0.0.1 is already in use: stop what is using it, or run PORT=8001 make run"
    )


def test_an_unknown_server_is_refused():
    result = subprocess.run(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=os.environ | {"SERVER": "apache", "PORT": "59999"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "SERVER must be gunicorn or runserver" in result.stderr
