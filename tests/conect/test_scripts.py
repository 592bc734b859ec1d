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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_run_serves_a_missing_page_as_a_visitor_sees_it_in_their_language(tmp_path):
    """gunicorn runs with DEBUG off: a friendly, translated 404, never Django's debug page with every URL."""
    import signal
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "EMAIL_BACKEND"))}
    server = subprocess.Popen(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=env | {"PORT": str(port), "TASK_WORKERS": "0", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/it/pagina-che-non-esiste/", timeout=5)  # noqa: S310
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert status == 404
        assert "Pagina non trovata" in body
        assert "URLconf" not in body and "DEBUG = True" not in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
