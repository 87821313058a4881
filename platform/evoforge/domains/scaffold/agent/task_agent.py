"""The seed task agent of this domain: the sentiment of one review.

Steered by params.json["task"]: `keywords` maps words to an answer given without asking the
model (the meta agent learns them from train results); otherwise the model is asked, under the
`sentiment` contract, with `hint` written before the review.
"""
import json
import re

from evoforge_channel import generate

WORD = re.compile(r"[a-z']+")


def run(task):
    """Entry point for the kernel: answer one task (`task["inputs"]["review"]`)."""
    with open("params.json") as handle:
        settings = json.load(handle)["task"]
    review = task["inputs"]["review"]
    for word in WORD.findall(review.lower()):
        if word in settings["keywords"]:
            return settings["keywords"][word]
    return generate("sentiment", review=review, hint=settings["hint"])
