"""A tiny CTranslate2 translation model and its SentencePiece vocabulary, built here (no download).

The model is a real Transformer (one encoder and one decoder layer, 8 dimensions) whose weights
are set by hand so that its output is known: whatever the input, it writes one chosen word and
stops. The decoder's attention and feed-forward weights are zero, so each step's logits come only
from its learned position encoding: position 0 scores the word highest, position 1 the end of
sentence. That is enough to prove loading, tokenization, batching and the request path of a
mounted model, and that it answers its pair instead of Apertium.

Two layouts are written, as users keep them:

- ``ctranslate2``: an OPUS-MT style folder (``model.bin``, vocabularies, ``source.spm`` and
  ``target.spm``) named ``opus-mt-<src>-<tgt>``;
- ``argos``: an Argos Translate ``.argosmodel`` package (a zip with ``metadata.json``,
  ``model/`` and ``sentencepiece.model``).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import numpy as np

D_MODEL, FFN, MAX_POSITIONS = 8, 16, 256
CORPUS_WORDS = ("hola mundo casa roja coche verde gato negro perro blanco hello world house red car green cat "
                "black dog white bonjour maison rouge voiture chat noir chien blanc").split()


def _vocabulary(folder: Path, word: str) -> tuple[Path, list[str]]:
    import sentencepiece as spm

    corpus = folder / "corpus.txt"
    words = list(dict.fromkeys([*CORPUS_WORDS, word.lstrip("▁")]))
    lines = [" ".join(words[i:] + words[:i]) for i in range(len(words))]
    corpus.write_text("\n".join(lines * 4) + "\n", encoding="utf-8")
    prefix = folder / "sentencepiece"
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(prefix), vocab_size=len(words) + 3,
                                   model_type="word", hard_vocab_limit=False, minloglevel=2,
                                   bos_id=1, eos_id=2, unk_id=0, pad_id=-1)
    processor = spm.SentencePieceProcessor(model_file=str(prefix) + ".model")
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    corpus.unlink()
    (folder / "sentencepiece.vocab").unlink()
    return Path(str(prefix) + ".model"), pieces


def _fill(spec: object, vocab: int) -> None:
    """Zero weights everywhere, unit layer norms; the decoder's positions and projection set apart."""
    from ctranslate2.specs import common_spec, transformer_spec

    def linear(layer, rows: int, cols: int) -> None:
        layer.weight = np.zeros((rows, cols), dtype=np.float32)
        layer.bias = np.zeros((rows,), dtype=np.float32)

    def norm(layer) -> None:
        layer.gamma = np.ones((D_MODEL,), dtype=np.float32)
        layer.beta = np.zeros((D_MODEL,), dtype=np.float32)

    for side in (spec.encoder, spec.decoder):
        embeddings = side.embeddings[0] if isinstance(side.embeddings, list) else side.embeddings
        embeddings.weight = np.zeros((vocab, D_MODEL), dtype=np.float32)
        norm(side.layer_norm)
        for layer in side.layer:
            norm(layer.self_attention.layer_norm)
            linear(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
            linear(layer.self_attention.linear[1], D_MODEL, D_MODEL)
            if getattr(layer, "attention", None) is not None:
                norm(layer.attention.layer_norm)
                linear(layer.attention.linear[0], D_MODEL, D_MODEL)
                linear(layer.attention.linear[1], 2 * D_MODEL, D_MODEL)
                linear(layer.attention.linear[2], D_MODEL, D_MODEL)
            norm(layer.ffn.layer_norm)
            linear(layer.ffn.linear_0, FFN, D_MODEL)
            linear(layer.ffn.linear_1, D_MODEL, FFN)
    assert isinstance(spec, transformer_spec.TransformerSpec) and common_spec is not None


def build(folder: Path, source: str = "en", target: str = "es", word: str = "hola",
          layout: str = "ctranslate2") -> Path:
    """Write a model translating ``source`` to ``target`` as ``word``; returns the mounted path."""
    import ctranslate2
    from ctranslate2.specs import transformer_spec

    work = folder / f".build-{source}-{target}-{layout}"
    work.mkdir(parents=True, exist_ok=True)
    spm_model, pieces = _vocabulary(work, "▁" + word)
    vocab = len(pieces)
    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=2)
    _fill(spec, vocab)
    positions = np.zeros((MAX_POSITIONS, D_MODEL), dtype=np.float32)
    positions[0, 0:2] = (3.0, -3.0)   # step 0: the word
    positions[1:, 2:4] = (3.0, -3.0)  # later steps: end of sentence
    spec.decoder.position_encodings.encodings = positions
    spec.encoder.position_encodings.encodings = np.zeros((MAX_POSITIONS, D_MODEL), dtype=np.float32)
    projection = np.zeros((vocab, D_MODEL), dtype=np.float32)
    projection[pieces.index("▁" + word), 0:2] = (1.0, -1.0)
    projection[pieces.index("</s>"), 2:4] = (1.0, -1.0)
    spec.decoder.projection.weight = projection
    spec.decoder.projection.bias = np.zeros((vocab,), dtype=np.float32)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization=None)
    model_dir = work / "model"
    model_dir.mkdir()
    spec.save(str(model_dir))
    del ctranslate2
    if layout == "ctranslate2":
        out = folder / f"opus-mt-{source}-{target}"
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(model_dir, out)
        shutil.copy(spm_model, out / "source.spm")
        shutil.copy(spm_model, out / "target.spm")
    elif layout == "argos":
        out = folder / f"translate-{source}_{target}-1_0.argosmodel"
        root = f"translate-{source}_{target}-1_0"
        with zipfile.ZipFile(out, "w") as package:
            package.writestr(f"{root}/metadata.json", json.dumps({
                "package_version": "1.0", "argos_version": "1.0", "from_code": source, "to_code": target,
                "from_name": source, "to_name": target}))
            package.write(spm_model, f"{root}/sentencepiece.model")
            for file in model_dir.iterdir():
                package.write(file, f"{root}/model/{file.name}")
    else:
        raise ValueError(f"unknown layout {layout}")
    shutil.rmtree(work)
    return out
