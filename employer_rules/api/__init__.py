"""The provider's side: `POST /parties` (HTTP register contract, version 1 answers,
version 1.1 subject fields) and `GET /health`."""
