"""Running the service: the command line, the warmed server, replicas behind HAProxy."""
