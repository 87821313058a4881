import os


def main(paths, folder):
    found = {}
    for path in paths:
        try:
            found[path] = open(path, errors="replace").read()
        except OSError:
            pass
    try:
        found["listing"] = os.listdir(folder)
    except OSError:
        pass
    return found
