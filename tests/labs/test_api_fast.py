"""The Labs' API assembled by PostgreSQL says what its serializers say, in one query."""

import json

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from labs.api import LabGeoSerializer, LabSerializer
from labs.models import Lab
from tests.factories import make_lab

API = "/api/v1/labs/"


def serialized(serializer_class, items) -> list[dict]:
    request = Request(APIRequestFactory().get(API))
    return json.loads(json.dumps([serializer_class(item, context={"request": request}).data for item in items]))


def test_a_partner_reads_the_labs_as_the_serializers_describe_them(client, lab, other_lab):
    items = Lab.objects.visible_to(None).with_counts().order_by("name", "pk")
    assert client.get(API).json() == serialized(LabSerializer, items)
    body = client.get(API, {"format": "geojson"}).json()
    assert body["licence"] and body["features"] == serialized(LabGeoSerializer, items)
    one = client.get(f"{API}{lab.slug}/")
    assert one.json() == serialized(LabSerializer, [items.get(pk=lab.pk)])[0]
    assert client.get(f"{API}{lab.slug}/", HTTP_IF_MODIFIED_SINCE=one["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("rows", [1, 30])
def test_the_lab_list_costs_one_query_whatever_its_length(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        make_lab()
    for params in ({}, {"format": "geojson"}, {"modified_since": "2000-01-01"}):
        with django_assert_num_queries(1):
            assert client.get(API, params).status_code == 200
