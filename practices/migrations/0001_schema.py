"""The practices schema, squashed from migrations 0001 to 0013 (reviewed by hand; data and SQL follow in 0002, 0003)."""

import django.contrib.gis.db.models.fields
import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.operations
import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
import django_countries.fields
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import conect.text
import practices.models
import practices.vocabularies


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("practices", "0001_initial"),
        ("practices", "0002_sdgs_and_themes"),
        ("practices", "0003_primary_theme_and_search"),
        ("practices", "0004_search_triggers"),
        ("practices", "0005_title_order_index"),
        ("practices", "0006_unaccent_title_index"),
        ("practices", "0007_text_without_markup"),
        ("practices", "0008_import_job"),
        ("practices", "0009_practice_images"),
        ("practices", "0010_private_imports_and_photo_names"),
        ("practices", "0011_import_ids_per_lab"),
        ("practices", "0012_import_ids_only_when_given"),
        ("practices", "0013_european_text_languages"),
    ]

    dependencies = [
        ("labs", "0001_initial"),
        ("networks", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        django.contrib.postgres.operations.TrigramExtension(),
        django.contrib.postgres.operations.UnaccentExtension(),
        # An immutable wrapper of unaccent(), so that the title index below can use it.
        migrations.RunSQL(
            "CREATE OR REPLACE FUNCTION conect_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
            " AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
            "DROP FUNCTION IF EXISTS conect_unaccent(text)",
        ),
        migrations.CreateModel(
            name="SDG",
            fields=[
                ("number", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="number")),
            ],
            options={
                "verbose_name": "Sustainable Development Goal",
                "verbose_name_plural": "Sustainable Development Goals",
                "ordering": ["number"],
            },
        ),
        migrations.CreateModel(
            name="Theme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=60, unique=True, verbose_name="slug")),
                ("name", models.CharField(help_text="In English.", max_length=100, verbose_name="name")),
                ("names", models.JSONField(blank=True, default=dict, verbose_name="names in other languages")),
                (
                    "colour",
                    models.CharField(
                        help_text="Hex colour of its map markers, e.g. #0b6e4f.", max_length=7, verbose_name="colour"
                    ),
                ),
            ],
            options={
                "verbose_name": "theme",
                "verbose_name_plural": "themes",
                "ordering": ["slug"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPractice",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted for review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                            ("archived", "Archived"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("state_reason", models.TextField(blank=True, verbose_name="reason")),
                ("state_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="state changed at")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated at")),
                ("title", models.CharField(max_length=250, validators=[conect.text.no_markup], verbose_name="title")),
                ("slug", models.SlugField(blank=True, max_length=120, verbose_name="slug")),
                (
                    "summary",
                    models.CharField(
                        blank=True, max_length=500, validators=[conect.text.no_markup], verbose_name="summary"
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="Markdown: **bold**, lists, links.",
                        validators=[conect.text.no_markup],
                        verbose_name="description",
                    ),
                ),
                (
                    "original_language",
                    models.CharField(
                        choices=practices.vocabularies.language_choices,
                        default="en",
                        max_length=10,
                        verbose_name="original language",
                    ),
                ),
                (
                    "dimensions",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("social", "Social"),
                                ("economic", "Economic"),
                                ("environmental", "Environmental"),
                                ("governance", "Governance"),
                                ("cultural", "Cultural"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="resilience dimensions",
                    ),
                ),
                (
                    "target_groups",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("elderly", "Older people"),
                                ("migrants", "Migrants and refugees"),
                                ("youth", "Young people"),
                                ("children", "Children and families"),
                                ("women", "Women"),
                                ("low_income", "People on low incomes"),
                                ("disability", "People with disabilities"),
                                ("homeless", "Homeless people"),
                                ("everyone", "Everyone in the area"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="target groups",
                    ),
                ),
                (
                    "resources",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("volunteers", "Volunteers"),
                                ("public_funding", "Public funding"),
                                ("eu_funding", "EU funding"),
                                ("private_funding", "Private or foundation funding"),
                                ("membership_fees", "Members' fees"),
                                ("crowdfunding", "Crowdfunding"),
                                ("in_kind", "In-kind donations"),
                                ("sales", "Sales of goods or services"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="resources",
                    ),
                ),
                (
                    "scale",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("neighbourhood", "Neighbourhood"),
                            ("city", "City"),
                            ("metropolitan", "Metropolitan area"),
                            ("regional", "Region"),
                            ("national", "Country"),
                            ("transnational", "Transnational"),
                        ],
                        max_length=20,
                        verbose_name="scale",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "Active"), ("paused", "Paused"), ("ended", "Ended")],
                        default="active",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                ("country", django_countries.fields.CountryField(max_length=2, verbose_name="country")),
                (
                    "city",
                    models.CharField(
                        blank=True, max_length=200, validators=[conect.text.no_markup], verbose_name="city"
                    ),
                ),
                (
                    "location",
                    django.contrib.gis.db.models.fields.PointField(
                        blank=True, null=True, srid=4326, verbose_name="location"
                    ),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "contact_email",
                    models.EmailField(
                        blank=True, help_text="Never shown publicly.", max_length=254, verbose_name="contact e-mail"
                    ),
                ),
                (
                    "contact_phone",
                    models.CharField(
                        blank=True, help_text="Never shown publicly.", max_length=50, verbose_name="contact phone"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True, help_text="Where an imported row came from.", max_length=100, verbose_name="source"
                    ),
                ),
                ("source_id", models.CharField(blank=True, max_length=200, verbose_name="identifier at the source")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lab",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Without a Lab, the coordinators moderate it.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="labs.lab",
                        verbose_name="Lab",
                    ),
                ),
                (
                    "state_changed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "primary_theme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Gives the practice its colour on the map.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.theme",
                        verbose_name="main theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical practice",
                "verbose_name_plural": "historical practices",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSpace",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted for review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                            ("archived", "Archived"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("state_reason", models.TextField(blank=True, verbose_name="reason")),
                ("state_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="state changed at")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated at")),
                ("name", models.CharField(max_length=200, validators=[conect.text.no_markup], verbose_name="name")),
                ("slug", models.SlugField(blank=True, max_length=120, verbose_name="slug")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("community_garden", "Community garden"),
                            ("social_centre", "Social or community centre"),
                            ("cohousing", "Collaborative housing"),
                            ("library", "Library"),
                            ("school", "School"),
                            ("market", "Market or shop"),
                            ("food_bank", "Food bank or pantry"),
                            ("public_space", "Square, park or street"),
                            ("other", "Other place"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                ("location", django.contrib.gis.db.models.fields.PointField(srid=4326, verbose_name="location")),
                (
                    "area",
                    django.contrib.gis.db.models.fields.MultiPolygonField(
                        blank=True, null=True, srid=4326, verbose_name="area"
                    ),
                ),
                (
                    "address",
                    models.CharField(
                        blank=True, max_length=250, validators=[conect.text.no_markup], verbose_name="address"
                    ),
                ),
                (
                    "city",
                    models.CharField(
                        blank=True, max_length=200, validators=[conect.text.no_markup], verbose_name="city"
                    ),
                ),
                ("country", django_countries.fields.CountryField(max_length=2, verbose_name="country")),
                (
                    "tenure",
                    models.CharField(
                        blank=True,
                        choices=[("public", "Public"), ("private", "Private"), ("commons", "Commons")],
                        max_length=20,
                        verbose_name="tenure",
                    ),
                ),
                ("step_free", models.BooleanField(blank=True, null=True, verbose_name="step-free access")),
                (
                    "accessibility",
                    models.TextField(
                        blank=True, validators=[conect.text.no_markup], verbose_name="accessibility notes"
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, validators=[conect.text.no_markup], verbose_name="description"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lab",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Without a Lab, the coordinators moderate it.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="labs.lab",
                        verbose_name="Lab",
                    ),
                ),
                (
                    "state_changed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical space",
                "verbose_name_plural": "historical spaces",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(storage=practices.models.private_storage, upload_to="imports/%Y/%m/")),
                ("filename", models.CharField(max_length=255)),
                ("source", models.CharField(max_length=100, verbose_name="source")),
                ("mapping", models.JSONField(default=dict)),
                ("publish", models.BooleanField(default=False)),
                ("europe_only", models.BooleanField(default=True)),
                ("strict", models.BooleanField(default=False)),
                ("report", models.JSONField(default=dict)),
                (
                    "status",
                    models.CharField(
                        choices=[("planned", "Ready to import"), ("imported", "Imported"), ("refused", "Refused")],
                        default="planned",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "lab",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="labs.lab",
                    ),
                ),
            ],
            options={
                "verbose_name": "import",
                "verbose_name_plural": "imports",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="Practice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted for review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                            ("archived", "Archived"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("state_reason", models.TextField(blank=True, verbose_name="reason")),
                ("state_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="state changed at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("title", models.CharField(max_length=250, validators=[conect.text.no_markup], verbose_name="title")),
                ("slug", models.SlugField(blank=True, max_length=120, unique=True, verbose_name="slug")),
                (
                    "summary",
                    models.CharField(
                        blank=True, max_length=500, validators=[conect.text.no_markup], verbose_name="summary"
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="Markdown: **bold**, lists, links.",
                        validators=[conect.text.no_markup],
                        verbose_name="description",
                    ),
                ),
                (
                    "original_language",
                    models.CharField(
                        choices=practices.vocabularies.language_choices,
                        default="en",
                        max_length=10,
                        verbose_name="original language",
                    ),
                ),
                (
                    "dimensions",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("social", "Social"),
                                ("economic", "Economic"),
                                ("environmental", "Environmental"),
                                ("governance", "Governance"),
                                ("cultural", "Cultural"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="resilience dimensions",
                    ),
                ),
                (
                    "target_groups",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("elderly", "Older people"),
                                ("migrants", "Migrants and refugees"),
                                ("youth", "Young people"),
                                ("children", "Children and families"),
                                ("women", "Women"),
                                ("low_income", "People on low incomes"),
                                ("disability", "People with disabilities"),
                                ("homeless", "Homeless people"),
                                ("everyone", "Everyone in the area"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="target groups",
                    ),
                ),
                (
                    "resources",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("volunteers", "Volunteers"),
                                ("public_funding", "Public funding"),
                                ("eu_funding", "EU funding"),
                                ("private_funding", "Private or foundation funding"),
                                ("membership_fees", "Members' fees"),
                                ("crowdfunding", "Crowdfunding"),
                                ("in_kind", "In-kind donations"),
                                ("sales", "Sales of goods or services"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="resources",
                    ),
                ),
                (
                    "scale",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("neighbourhood", "Neighbourhood"),
                            ("city", "City"),
                            ("metropolitan", "Metropolitan area"),
                            ("regional", "Region"),
                            ("national", "Country"),
                            ("transnational", "Transnational"),
                        ],
                        max_length=20,
                        verbose_name="scale",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "Active"), ("paused", "Paused"), ("ended", "Ended")],
                        default="active",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                ("country", django_countries.fields.CountryField(max_length=2, verbose_name="country")),
                (
                    "city",
                    models.CharField(
                        blank=True, max_length=200, validators=[conect.text.no_markup], verbose_name="city"
                    ),
                ),
                (
                    "location",
                    django.contrib.gis.db.models.fields.PointField(
                        blank=True, null=True, srid=4326, verbose_name="location"
                    ),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "contact_email",
                    models.EmailField(
                        blank=True, help_text="Never shown publicly.", max_length=254, verbose_name="contact e-mail"
                    ),
                ),
                (
                    "contact_phone",
                    models.CharField(
                        blank=True, help_text="Never shown publicly.", max_length=50, verbose_name="contact phone"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True, help_text="Where an imported row came from.", max_length=100, verbose_name="source"
                    ),
                ),
                ("source_id", models.CharField(blank=True, max_length=200, verbose_name="identifier at the source")),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lab",
                    models.ForeignKey(
                        blank=True,
                        help_text="Without a Lab, the coordinators moderate it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="labs.lab",
                        verbose_name="Lab",
                    ),
                ),
                (
                    "state_changed_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "practice",
                "verbose_name_plural": "practices",
                "ordering": ["title"],
            },
            bases=(conect.text.AutoSlugMixin, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPracticeTranslation",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "language",
                    models.CharField(
                        choices=practices.vocabularies.language_choices, max_length=10, verbose_name="language"
                    ),
                ),
                ("title", models.CharField(max_length=250, validators=[conect.text.no_markup], verbose_name="title")),
                (
                    "summary",
                    models.CharField(
                        blank=True, max_length=500, validators=[conect.text.no_markup], verbose_name="summary"
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, validators=[conect.text.no_markup], verbose_name="description"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.practice",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical translation",
                "verbose_name_plural": "historical translations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PracticeImage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("image", models.ImageField(upload_to=practices.models.photo_path, verbose_name="image")),
                ("thumbnail", models.ImageField(upload_to=practices.models.photo_path)),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "alt_text",
                    models.CharField(
                        max_length=250,
                        validators=[conect.text.no_markup],
                        verbose_name="description for people who cannot see it",
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True, max_length=200, validators=[conect.text.no_markup], verbose_name="credit"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="images", to="practices.practice"
                    ),
                ),
            ],
            options={
                "verbose_name": "image",
                "verbose_name_plural": "images",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PracticeOrganisation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("lead", "Runs it"),
                            ("partner", "Partner"),
                            ("funder", "Funder"),
                            ("supporter", "Supporter"),
                        ],
                        default="lead",
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="practice_links",
                        to="networks.organisation",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="organisation_links",
                        to="practices.practice",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation involved",
                "verbose_name_plural": "organisations involved",
            },
        ),
        migrations.AddField(
            model_name="practice",
            name="organisations",
            field=models.ManyToManyField(
                blank=True,
                related_name="practices",
                through="practices.PracticeOrganisation",
                to="networks.organisation",
            ),
        ),
        migrations.CreateModel(
            name="PracticeTranslation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "language",
                    models.CharField(
                        choices=practices.vocabularies.language_choices, max_length=10, verbose_name="language"
                    ),
                ),
                ("title", models.CharField(max_length=250, validators=[conect.text.no_markup], verbose_name="title")),
                (
                    "summary",
                    models.CharField(
                        blank=True, max_length=500, validators=[conect.text.no_markup], verbose_name="summary"
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, validators=[conect.text.no_markup], verbose_name="description"),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="practices.practice",
                    ),
                ),
            ],
            options={
                "verbose_name": "translation",
                "verbose_name_plural": "translations",
                "ordering": ["language"],
            },
        ),
        migrations.AddField(
            model_name="practice",
            name="sdgs",
            field=models.ManyToManyField(blank=True, related_name="practices", to="practices.sdg", verbose_name="SDGs"),
        ),
        migrations.CreateModel(
            name="HistoricalPractice_sdgs",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="practices.historicalpractice",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.practice",
                    ),
                ),
                (
                    "sdg",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.sdg",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalPractice_sdgs",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Space",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted for review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                            ("archived", "Archived"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("state_reason", models.TextField(blank=True, verbose_name="reason")),
                ("state_changed_at", models.DateTimeField(blank=True, null=True, verbose_name="state changed at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("name", models.CharField(max_length=200, validators=[conect.text.no_markup], verbose_name="name")),
                ("slug", models.SlugField(blank=True, max_length=120, unique=True, verbose_name="slug")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("community_garden", "Community garden"),
                            ("social_centre", "Social or community centre"),
                            ("cohousing", "Collaborative housing"),
                            ("library", "Library"),
                            ("school", "School"),
                            ("market", "Market or shop"),
                            ("food_bank", "Food bank or pantry"),
                            ("public_space", "Square, park or street"),
                            ("other", "Other place"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                ("location", django.contrib.gis.db.models.fields.PointField(srid=4326, verbose_name="location")),
                (
                    "area",
                    django.contrib.gis.db.models.fields.MultiPolygonField(
                        blank=True, null=True, srid=4326, verbose_name="area"
                    ),
                ),
                (
                    "address",
                    models.CharField(
                        blank=True, max_length=250, validators=[conect.text.no_markup], verbose_name="address"
                    ),
                ),
                (
                    "city",
                    models.CharField(
                        blank=True, max_length=200, validators=[conect.text.no_markup], verbose_name="city"
                    ),
                ),
                ("country", django_countries.fields.CountryField(max_length=2, verbose_name="country")),
                (
                    "tenure",
                    models.CharField(
                        blank=True,
                        choices=[("public", "Public"), ("private", "Private"), ("commons", "Commons")],
                        max_length=20,
                        verbose_name="tenure",
                    ),
                ),
                ("step_free", models.BooleanField(blank=True, null=True, verbose_name="step-free access")),
                (
                    "accessibility",
                    models.TextField(
                        blank=True, validators=[conect.text.no_markup], verbose_name="accessibility notes"
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, validators=[conect.text.no_markup], verbose_name="description"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lab",
                    models.ForeignKey(
                        blank=True,
                        help_text="Without a Lab, the coordinators moderate it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="labs.lab",
                        verbose_name="Lab",
                    ),
                ),
                (
                    "state_changed_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "space",
                "verbose_name_plural": "spaces",
                "ordering": ["name"],
            },
            bases=(conect.text.AutoSlugMixin, models.Model),
        ),
        migrations.AddField(
            model_name="practice",
            name="spaces",
            field=models.ManyToManyField(
                blank=True, related_name="practices", to="practices.space", verbose_name="spaces"
            ),
        ),
        migrations.AddField(
            model_name="practice",
            name="primary_theme",
            field=models.ForeignKey(
                blank=True,
                help_text="Gives the practice its colour on the map.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="practices.theme",
                verbose_name="main theme",
            ),
        ),
        migrations.AddField(
            model_name="practice",
            name="themes",
            field=models.ManyToManyField(
                blank=True, related_name="practices", to="practices.theme", verbose_name="themes"
            ),
        ),
        migrations.CreateModel(
            name="HistoricalPractice_themes",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="practices.historicalpractice",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.practice",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalPractice_themes",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="practiceorganisation",
            constraint=models.UniqueConstraint(
                fields=("practice", "organisation"), name="one_link_per_practice_organisation"
            ),
        ),
        migrations.AddConstraint(
            model_name="practicetranslation",
            constraint=models.UniqueConstraint(fields=("practice", "language"), name="one_translation_per_language"),
        ),
        migrations.AddIndex(
            model_name="practice",
            index=django.contrib.postgres.indexes.GinIndex(fields=["dimensions"], name="practice_dimensions_gin"),
        ),
        migrations.AddIndex(
            model_name="practice",
            index=django.contrib.postgres.indexes.GinIndex(fields=["target_groups"], name="practice_target_groups_gin"),
        ),
        migrations.AddIndex(
            model_name="practice",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="practice_search_gin"),
        ),
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(fields=["title", "id"], name="practice_title_order"),
        ),
        migrations.AddIndex(
            model_name="practice",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    practices.models.Unaccent(django.db.models.functions.text.Upper("title")), name="gin_trgm_ops"
                ),
                name="practice_title_trgm_unaccent",
            ),
        ),
        migrations.AddConstraint(
            model_name="practice",
            constraint=models.UniqueConstraint(
                condition=models.Q(models.Q(("source", ""), _negated=True), models.Q(("source_id", ""), _negated=True)),
                fields=("lab", "source", "source_id"),
                name="one_practice_per_lab_source_id",
                nulls_distinct=False,
            ),
        ),
        migrations.AddConstraint(
            model_name="practice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True),
                    ("start_date__isnull", True),
                    ("end_date__gte", models.F("start_date")),
                    _connector="OR",
                ),
                name="practice_ends_after_start",
            ),
        ),
    ]
