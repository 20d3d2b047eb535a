"""The Vision service's billing meters."""

READ_PAGES = "CognitiveServices.ComputerVision.Container.ReadPages"
