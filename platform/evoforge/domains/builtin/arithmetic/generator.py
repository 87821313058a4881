"""Integer word problems, generated reproducibly from a seed, with phrasings held out by split.

Every split asks the same six kinds of operation (a+b, a-b, a*b, a*b-c, a-b+c, (a+b)*c), but
each split tells them with its own stories: other nouns, other verbs. A table from words to
operations learned on train therefore does not transfer to validation or test; reading the
question does. `generate` returns rows with the question (what agents see) and the exact answer
(the label).
"""
from __future__ import annotations

import random
from typing import Callable, Iterator, NamedTuple

SPLITS = ("train", "validation", "test")


class Operation(NamedTuple):
    name: str
    answer: Callable[[int, int, int], int]
    subtracts_b: bool = False  # a - b ...: draw a above b, so no count goes negative
    subtracts_c: bool = False  # ... - c: draw c below a * b


SUM = Operation("a+b", lambda a, b, c: a + b)
DIFFERENCE = Operation("a-b", lambda a, b, c: a - b, subtracts_b=True)
PRODUCT = Operation("a*b", lambda a, b, c: a * b)
PRODUCT_LESS = Operation("a*b-c", lambda a, b, c: a * b - c, subtracts_c=True)
DIFFERENCE_PLUS = Operation("a-b+c", lambda a, b, c: a - b + c, subtracts_b=True)
SUM_TIMES = Operation("(a+b)*c", lambda a, b, c: (a + b) * c)
OPERATIONS = (SUM, DIFFERENCE, PRODUCT, PRODUCT_LESS, DIFFERENCE_PLUS, SUM_TIMES)

# split -> operation -> its stories in that split (no story appears in two splits).
STORIES: dict[str, dict[Operation, tuple[str, ...]]] = {
    "train": {
        SUM: ("Tom has {a} apples and buys {b} more. How many apples does he have?",
              "A jar holds {a} marbles. Mia adds {b} marbles. How many marbles are in the jar now?"),
        DIFFERENCE: ("A shelf holds {a} books. {b} are taken away. How many books are left?",
                     "Sam had {a} stickers and gave {b} to a friend. How many stickers does Sam have now?"),
        PRODUCT: ("There are {a} boxes with {b} pens in each. How many pens are there?",
                  "Each of {a} tables has {b} chairs around it. How many chairs are there?"),
        PRODUCT_LESS: ("Ana saves {a} coins a day for {b} days, then spends {c}. How many coins are left?",
                       "A box has {a} packs of {b} cards, and {c} cards are lost. How many cards are left?"),
        DIFFERENCE_PLUS: ("A bus has {a} riders. {b} get off and {c} get on. How many riders are on the bus?",
                          "A shop has {a} hats, sells {b} and orders {c} new ones. How many hats does it have?"),
        SUM_TIMES: ("A farm has {a} hens and {b} ducks. Each bird lays {c} eggs. How many eggs in all?",
                    "Jo has {a} red bags and {b} blue bags with {c} beads in every bag. How many beads does Jo have?"),
    },
    "validation": {
        SUM: ("Lena picked {a} cherries in the morning and {b} cherries in the afternoon. How many cherries did she pick?",
              "A train carries {a} passengers, and {b} others board at the station. How many passengers are aboard?"),
        DIFFERENCE: ("A baker made {a} rolls and sold {b} of them. How many rolls remain?",
                     "There were {a} birds on a wire. {b} flew to a roof. How many birds stayed on the wire?"),
        PRODUCT: ("A garden has {a} rows of {b} tulips. How many tulips grow in the garden?",
                  "{a} children each bring {b} crayons. How many crayons did they bring?"),
        PRODUCT_LESS: ("A printer prints {a} pages a minute for {b} minutes, and {c} pages jam. How many good pages come out?",
                       "Leo gets {a} nets of {b} oranges and squeezes {c} oranges for juice. How many oranges remain?"),
        DIFFERENCE_PLUS: ("A parking lot holds {a} cars. {b} leave and {c} arrive. How many cars are in the lot?",
                          "Eva had {a} dollars, paid {b} for lunch and earned {c} babysitting. How many dollars does she have?"),
        SUM_TIMES: ("A class has {a} girls and {b} boys, and each pupil gets {c} pencils. How many pencils are handed out?",
                    "{a} cats and {b} dogs visit the vet, and each animal gets {c} treats. How many treats are given?"),
    },
    "test": {
        SUM: ("A library owns {a} novels and receives {b} novels as a gift. How many novels does it own now?",
              "Omar ran {a} laps on Monday and {b} laps on Tuesday. How many laps did he run altogether?"),
        DIFFERENCE: ("A pond had {a} fish, and a heron ate {b} of them. How many fish survive?",
                     "Nina's phone had {a} photos. She deleted {b}. How many photos are still on the phone?"),
        PRODUCT: ("A truck makes {a} trips and carries {b} crates per trip. How many crates does it carry?",
                  "A book has {a} pages with {b} pictures per page. How many pictures are in the book?"),
        PRODUCT_LESS: ("A bakery bakes {a} trays of {b} muffins, and {c} muffins burn. How many muffins can be sold?",
                       "A factory fills {a} crates with {b} bottles each, but {c} bottles break. How many bottles are intact?"),
        DIFFERENCE_PLUS: ("An aquarium had {a} snails. {b} were moved out and {c} hatched. How many snails live there now?",
                          "A team had {a} players; {b} retired and {c} joined. How many players does the team have?"),
        SUM_TIMES: ("A hotel has {a} single rooms and {b} double rooms, each with {c} towels. How many towels are there?",
                    "A club sends {a} vans and {b} cars to a game, each carrying {c} fans. How many fans travel?"),
    },
}


def generate(seed: int, sizes: dict[str, int]) -> Iterator[dict]:
    """`sizes[split]` problems per split, all drawn from one random stream fixed by `seed`; a
    split's problems are told only with that split's stories."""
    rng = random.Random(f"arithmetic:{seed}")
    for split in SPLITS:
        stories = [(operation, text) for operation, texts in STORIES[split].items() for text in texts]
        for index in range(sizes[split]):
            operation, text = rng.choice(stories)
            a, b, c = rng.randint(2, 30), rng.randint(2, 12), rng.randint(1, 9)
            if operation.subtracts_b:
                a = max(a, b + 1)
            if operation.subtracts_c:
                c = min(c, a * b - 1)
            yield {"id": f"arith-{split}-{index}", "split": split, "operation": operation.name,
                   "question": text.format(a=a, b=b, c=c), "answer": operation.answer(a, b, c)}
