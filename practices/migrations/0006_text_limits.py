"""Bounded, visible text: descriptions and notes get a length limit (shared by forms, the API and imports, and
keeping a practice's search vector under PostgreSQL's 1 MB: see 0007), and the website and phone refuse invisible
control characters like the other text fields (which run conect.text.no_markup)."""

import conect.text
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0005_location_and_area_validators'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalpractice',
            name='contact_phone',
            field=models.CharField(blank=True, help_text='Never shown publicly.', max_length=50, validators=[conect.text.no_control_characters], verbose_name='contact phone'),
        ),
        migrations.AlterField(
            model_name='historicalpractice',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown: **bold**, lists, links.', max_length=20000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(20000)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='historicalpractice',
            name='website',
            field=models.URLField(blank=True, validators=[conect.text.no_control_characters], verbose_name='website'),
        ),
        migrations.AlterField(
            model_name='historicalpracticetranslation',
            name='description',
            field=models.TextField(blank=True, max_length=20000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(20000)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='historicalspace',
            name='accessibility',
            field=models.TextField(blank=True, max_length=5000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(5000)], verbose_name='accessibility notes'),
        ),
        migrations.AlterField(
            model_name='historicalspace',
            name='description',
            field=models.TextField(blank=True, max_length=20000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(20000)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='practice',
            name='contact_phone',
            field=models.CharField(blank=True, help_text='Never shown publicly.', max_length=50, validators=[conect.text.no_control_characters], verbose_name='contact phone'),
        ),
        migrations.AlterField(
            model_name='practice',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown: **bold**, lists, links.', max_length=20000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(20000)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='practice',
            name='website',
            field=models.URLField(blank=True, validators=[conect.text.no_control_characters], verbose_name='website'),
        ),
        migrations.AlterField(
            model_name='practicetranslation',
            name='description',
            field=models.TextField(blank=True, max_length=20000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(20000)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='space',
            name='accessibility',
            field=models.TextField(blank=True, max_length=5000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(5000)], verbose_name='accessibility notes'),
        ),
        migrations.AlterField(
            model_name='space',
            name='description',
            field=models.TextField(blank=True, max_length=20000, validators=[conect.text.no_markup, django.core.validators.MaxLengthValidator(20000)], verbose_name='description'),
        ),
    ]
