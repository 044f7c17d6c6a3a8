"""Printable documents: partnership agreements, letters, the voivodeship batch, print_documents."""
