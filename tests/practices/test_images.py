import io
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from practices.models import PracticeImage, private_storage
from tests.conftest import client_for
from tests.factories import make_practice


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The fields took their storage when the models loaded: point it at this test's folder.
    private = FileSystemStorage(location=tmp_path / "private")
    for name in ("image", "thumbnail"):
        monkeypatch.setattr(PracticeImage._meta.get_field(name), "storage", private)


def photo(fmt="JPEG", size=(1200, 800), exif=True, name="garden.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (40, 120, 60))
    buffer = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {1: "N", 2: (38.0, 7.0, 0.0)}  # GPS info: where the photo was taken
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue())


def add(user, practice, upload, alt="Volunteers planting tomatoes"):
    return client_for(user).post(f"/en/practices/{practice.slug}/images/", {"image": upload, "alt_text": alt})


def test_a_member_adds_a_photo_stored_without_its_exif_and_with_a_thumbnail(lab, member):
    practice = make_practice(lab=lab)
    assert add(member, practice, photo()).status_code == 302
    record = PracticeImage.objects.get()
    stored = Image.open(record.image.path)
    assert not stored.getexif()
    assert Image.open(record.thumbnail.path).width <= 480
    assert (record.width, record.height) == (1200, 800)


def test_the_photo_and_its_description_appear_on_the_public_page(client, lab, facilitator):
    practice = make_practice(lab=lab)
    add(facilitator, practice, photo())
    text = client.get(practice.get_absolute_url()).content.decode()
    assert 'alt="Volunteers planting tomatoes"' in text


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.jpg", b"not an image at all"), "not an image that can be read"),
        (photo("GIF", name="anim.gif"), "Upload a JPEG, PNG or WebP image."),
        (photo("PNG", size=(8000, 6000), name="huge.png"), "more than 40 million pixels"),
    ],
)
def test_a_bad_upload_is_a_field_error_and_nothing_is_stored(lab, member, upload, message):
    practice = make_practice(lab=lab)
    response = add(member, practice, upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PracticeImage.objects.exists()


def test_a_file_over_10_mb_is_refused(lab, member):
    practice = make_practice(lab=lab)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    assert "larger than 10 MB" in add(member, practice, big).content.decode()


def test_a_photo_needs_a_description(lab, member):
    practice = make_practice(lab=lab)
    assert add(member, practice, photo(), alt="").status_code == 200
    assert not PracticeImage.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "contributor"])
def test_people_outside_the_lab_cannot_add_photos(request, lab, who):
    practice = make_practice(lab=lab)
    assert add(request.getfixturevalue(who), practice, photo()).status_code == 404
    assert not PracticeImage.objects.exists()


def test_a_member_removes_a_photo(lab, member):
    practice = make_practice(lab=lab)
    add(member, practice, photo())
    record = PracticeImage.objects.get()
    client_for(member).post(f"/en/practices/{practice.slug}/images/", {"remove": record.pk})
    assert not PracticeImage.objects.exists()


def png_with_inflating_chunk(chunk: str) -> SimpleUploadedFile:
    """A PNG of a few KB whose text or colour-profile chunk inflates to 2 MB."""
    info, options = PngImagePlugin.PngInfo(), {}
    if chunk == "zTXt":
        info.add_text("Comment", "a" * 2_000_000, zip=True)
    elif chunk == "iTXt":
        info.add_itxt("Comment", "a" * 2_000_000, zip=True)
    else:
        options["icc_profile"] = b"\0" * 2_000_000
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (40, 120, 60)).save(buffer, format="PNG", pnginfo=info, **options)
    assert len(buffer.getvalue()) < 5_000
    return SimpleUploadedFile("bomb.png", buffer.getvalue())


@pytest.mark.parametrize("chunk", ["zTXt", "iTXt", "iCCP"])
def test_a_png_whose_chunk_inflates_past_1_mb_is_a_form_error_in_the_readers_language(lab, member, chunk):
    practice = make_practice(lab=lab)
    response = client_for(member).post(
        f"/it/practices/{practice.slug}/images/", {"image": png_with_inflating_chunk(chunk), "alt_text": "Orto"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["image"] == ["Questo file non è un'immagine leggibile."]
    assert not PracticeImage.objects.exists()


def test_a_png_with_a_small_text_chunk_is_accepted(lab, member):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "a" * 2_000, zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG", pnginfo=info)
    assert add(member, make_practice(lab=lab), SimpleUploadedFile("ok.png", buffer.getvalue())).status_code == 302


@pytest.fixture
def draft_photo(lab, member):
    practice = make_practice(lab=lab, state="draft")
    add(member, practice, photo())
    return PracticeImage.objects.get()


@pytest.mark.parametrize("size", ["full", "thumbnail"])
def test_a_visitor_gets_404_for_a_photo_of_a_draft_like_for_a_missing_one(client, draft_photo, size):
    assert client.get(f"/photos/{draft_photo.pk}/{size}.jpg").status_code == 404
    assert client.get(f"/photos/{draft_photo.pk + 1}/{size}.jpg").status_code == 404


@pytest.mark.parametrize("who", ["outsider", "contributor"])
def test_people_outside_the_lab_get_404_for_a_photo_of_its_draft(request, draft_photo, who):
    assert client_for(request.getfixturevalue(who)).get(draft_photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("size", ["full", "thumbnail"])
def test_a_member_of_the_lab_gets_the_photo_of_its_draft_and_no_cache_keeps_it(member, draft_photo, size):
    response = client_for(member).get(f"/photos/{draft_photo.pk}/{size}.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    assert "no-store" in response["Cache-Control"]


def test_a_photo_of_a_published_practice_is_served_to_all_and_may_be_cached(client, lab, member, facilitator):
    practice = make_practice(lab=lab, state="submitted")
    add(member, practice, photo())
    practice.publish(by=facilitator)
    image = PracticeImage.objects.get()
    for url in (image.get_absolute_url(), image.thumbnail_url):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]


def test_the_practice_page_shows_the_photo_through_its_address(client, lab, facilitator):
    practice = make_practice(lab=lab)
    add(facilitator, practice, photo())
    image = PracticeImage.objects.get()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert f'src="/photos/{image.pk}/thumbnail.jpg"' in page


def test_photos_are_stored_in_the_private_storage_out_of_the_media_folder(settings, draft_photo):
    assert PracticeImage._meta.get_field("image")._storage_callable is private_storage
    assert draft_photo.image.storage.exists(draft_photo.image.name)
    assert not (Path(settings.MEDIA_ROOT) / draft_photo.image.name).exists()


def test_photos_uploaded_before_are_moved_to_the_private_storage(lab):
    from importlib import import_module

    moving = import_module("practices.migrations.0011_move_photos_to_private_storage")
    names = ("practices/old.jpg", "practices/old-thumb.jpg")
    for name in names:
        storages["default"].save(name, ContentFile(b"jpeg"))
    PracticeImage.objects.create(practice=make_practice(lab=lab), image=names[0], thumbnail=names[1], alt_text="Old")
    moving.to_private(django_apps, None)
    moving.to_private(django_apps, None)  # twice: nothing changes
    assert [storages["private"].exists(n) and not storages["default"].exists(n) for n in names] == [True, True]


def test_a_members_photo_on_a_published_practice_goes_to_review_first(client, lab, member):
    practice = make_practice(lab=lab)
    add(member, practice, photo())
    practice.refresh_from_db()
    assert practice.state == "submitted"
    assert client.get(practice.get_absolute_url()).status_code == 404
