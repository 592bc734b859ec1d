"""Every connection has the session settings that decide results (conect.dbsession), whether the start-up packet set
them or a DATABASE_URL's own options (or a pooler) left them out."""

import copy
import logging

import pytest
from django.db import connection

from conect import dbsession

pytestmark = pytest.mark.django_db


def settings_of(wrapper) -> dict:
    with wrapper.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('synchronize_seqscans'), current_setting('max_parallel_workers_per_gather')"
        )
        scans, workers = cursor.fetchone()
    return {"synchronize_seqscans": scans, "max_parallel_workers_per_gather": workers}


def test_our_connections_start_with_the_settings_that_keep_a_search_the_same_from_one_request_to_the_next():
    assert settings_of(connection) == dbsession.REQUIRED


@pytest.mark.parametrize("options", ["-c jit=off", ""])
def test_a_connection_whose_options_left_them_out_gets_them_and_the_log_says_so(options, caplog, monkeypatch):
    monkeypatch.setattr(dbsession, "_warned", set())
    other = connection.copy()
    other.settings_dict = copy.deepcopy(connection.settings_dict)
    other.settings_dict["OPTIONS"]["options"] = options  # as a DATABASE_URL with its own ?options= would
    try:
        with caplog.at_level(logging.WARNING, logger="conect.dbsession"):
            assert settings_of(other) == dbsession.REQUIRED
        assert "the start-up options did not set synchronize_seqscans=off" in caplog.text
    finally:
        other.close()
