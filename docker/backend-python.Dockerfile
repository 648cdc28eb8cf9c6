# syntax=docker/dockerfile:1
# Example: a backend worker image with a Python analysis tool (csvkit) added on top of the app image.
# Build the app image first, then this one (docker-compose.yml's worker-python service does both):
#   docker build -t analytics-automated:1.0 .
#   docker build -f docker/backend-python.Dockerfile --build-arg AA_IMAGE=analytics-automated:1.0 -t aa-worker-python:1.0 .
# Run it as the worker of a backend whose tasks call the tool, e.g. executable `csvstat $I1`:
#   docker run -e DATABASE_URL -e TEMPORAL_ADDRESS aa-worker-python:1.0 worker --backend python
ARG AA_IMAGE=analytics-automated:local
FROM ${AA_IMAGE}

# root (uid 0) only to install; the last USER hands the image back to the unprivileged worker.
USER 0:0
# Debian's Python plus a virtual environment for the tool, so pip never touches the system Python.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3=3.11.2-1+b1 python3-venv=3.11.2-1+b1 \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/tools \
 && /opt/tools/bin/pip install --no-cache-dir csvkit==2.2.0
# Task commands find the tool on PATH: the worker passes its environment on to every step.
ENV PATH=/opt/tools/bin:$PATH
USER 1000:1000
CMD ["worker", "--backend", "python"]
