"""The container test reuses the integration tests' fixtures: one Synapse for the session, a world per test."""

from tests.integration.conftest import synapse, unique, world

__all__ = ["synapse", "unique", "world"]
