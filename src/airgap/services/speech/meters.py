"""The Speech service's billing meters."""

# Audio seconds recognized (Azure bills speech to text per second of audio), with millisecond precision.
SPEECH_TO_TEXT_SECONDS = "CognitiveServices.SpeechServices.Container.SpeechToTextSeconds"

# Text to speech: characters of SSML synthesised, as Azure bills them (markup inside the document counts,
# the speak and voice tags do not; a Chinese, Japanese or Korean ideograph counts twice).
NEURAL_TEXT_TO_SPEECH_CHARACTERS = "CognitiveServices.SpeechServices.Container.NeuralTextToSpeechCharacters"
