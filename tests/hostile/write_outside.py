def main(host_file):
    written = []
    for path in (host_file, "/usr/evil", "/etc/evil", "/evil", "/opt/evoforge/evoforge_channel.py", "/channel/evil"):
        try:
            with open(path, "w") as handle:
                handle.write("owned")
            written.append(path)
        except OSError:
            pass
    with open("inside.txt", "w") as handle:  # the workspace itself is writable
        handle.write("fine")
    return written
