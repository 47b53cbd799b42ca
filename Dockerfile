# The Engage image for docker-compose.yml: `engage worker` (the audit and render queues) and `engage scan`.
# Debian's Chromium and fonts are installed so a worker can serve the render queue; an audit-only worker
# runs the same image with `--queues audit`.
FROM python:3.11-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends chromium fonts-inter libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /engage
COPY pyproject.toml constraints.txt README.md ./
COPY audit audit
COPY probes probes
COPY scoring scoring
COPY report_templates report_templates
RUN pip install -q -c constraints.txt . && useradd --create-home engage
USER engage
ENTRYPOINT ["engage"]
CMD ["worker", "--queues", "audit"]
