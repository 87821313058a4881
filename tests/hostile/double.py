from evoforge_channel import generate


def main(x):
    if x < 0:
        raise ValueError("negative")
    return {"double": generate("double", x=x)}
