# The evoforge image, built from this project's own files: the kernel, the seed agents, the
# specs, the UI and the `scale` extra (Ray). One image serves every role of docker-compose.yml
# (Ray head, Ray workers, the UI and the runs it launches), so driver and workers run the same
# evoforge, the same Ray and the same spec files (workers refuse work whose specs differ).
#
#   docker build -t evoforge .        (needs the internet: the base image and PyPI)
FROM python:3.11-slim

# A C/C++ toolchain for llama-cpp-python (the embedded model; compiled once, a few minutes),
# bubblewrap for the local sandbox, git for pip.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake bubblewrap git \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/evoforge
# Dependencies first, so editing the code does not reinstall them.
COPY pyproject.toml README.md ./
COPY platform/evoforge/__init__.py platform/evoforge/__init__.py
RUN pip install --no-cache-dir -e ".[scale]"
# The bfcl domain's data: the wheel's files are read, the package never imported, so none of its
# dependencies is needed (scripts/bootstrap.sh installs it the same way).
RUN pip install --no-cache-dir --no-deps "bfcl-eval==2026.3.23"
COPY platform platform
COPY agents agents
COPY specs specs
COPY ui ui
COPY scripts scripts
COPY docs docs

# Runs launched from the UI and every worker read the archive from here (the password comes
# from PGPASSWORD, never from a run's configuration).
ENV PYTHONUNBUFFERED=1
EXPOSE 8501 6379 8265
CMD ["evoforge", "ui", "--host", "0.0.0.0"]
