"""The Speech service's billing meters."""

# Audio seconds recognized (Azure bills speech to text per second of audio), with millisecond precision.
SPEECH_TO_TEXT_SECONDS = "CognitiveServices.SpeechServices.Container.SpeechToTextSeconds"
