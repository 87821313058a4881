import socket


def main(port):
    reached = []
    for host in ("127.0.0.1", "10.0.2.2", "172.17.0.1", "8.8.8.8"):
        try:
            socket.create_connection((host, port), timeout=2).close()
            reached.append(host)
        except OSError:
            pass
    return reached
