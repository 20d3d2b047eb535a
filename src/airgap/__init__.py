"""airgap: the Azure AI services containers, offline and open."""

__version__ = "0.1.0"
