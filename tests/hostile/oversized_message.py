from evoforge_channel import ChannelError, generate


def main(size):
    try:
        generate("double", x="y" * size)
    except ChannelError as error:
        return str(error)
