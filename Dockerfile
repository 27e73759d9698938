FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WELLBEING_INSTANCE=/app/instance
WORKDIR /app
COPY pyproject.toml README.md ./
COPY wellbeing ./wellbeing
COPY tasks ./tasks
COPY templates ./templates
COPY migrations ./migrations
RUN pip install --no-cache-dir -e . && useradd --create-home wellbeing \
    && mkdir -p /app/instance && chown wellbeing /app/instance
USER wellbeing
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "wellbeing.wsgi:app"]
