# The CoNECT site for docker-compose: Debian 12 (bookworm) like the development machines.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
       python manage.py collectstatic --no-input -v 0
RUN useradd --system --home /app conect && mkdir -p /app/.local/media /app/.local/private && chown -R conect /app/.local
USER conect
EXPOSE 8000
CMD ["scripts/docker-start.sh"]
