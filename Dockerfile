# Casework NLP service. Build: docker build -t casework-nlp .   Run: docker run -p 8000:8000 casework-nlp
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# The code and the trained models (models/complaints/1 is package data).
COPY README.md ./
COPY models ./models
COPY training ./training
COPY service ./service
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 casework

USER casework
ENV CASEWORK_HOST=0.0.0.0 \
    CASEWORK_PORT=8000 \
    CASEWORK_WORKERS=2
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"

CMD ["casework", "serve"]
