import pytest

from tests.conftest import client_for


@pytest.mark.parametrize("model", ["activities/activity", "activities/programme", "activities/registration"])
def test_admin_manages_the_activities_models(admin_user, lab, model):
    client = client_for(admin_user)
    assert client.get(f"/en/admin/{model}/").status_code == 200
    assert client.get(f"/en/admin/{model}/add/").status_code == 200
