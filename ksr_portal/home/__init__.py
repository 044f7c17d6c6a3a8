"""Home pages of each role: what spans the apps for one user."""
