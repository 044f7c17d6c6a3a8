"""Documents composed from several apps (evaluations and their report), mounted under /sieci/<pk>/."""
