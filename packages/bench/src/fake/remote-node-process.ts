// A remote node in a process of its own for the `remote` section (the client and the node must
// not share an event loop): argv[2] is the NATS URL, argv[3] the node name. Prints "ready".
import { startRemoteNode } from "@asm/remote";

const node = await startRemoteNode({ name: process.argv[3] ?? "bench", nats: { servers: process.argv[2] ?? "" }, maxRuns: 4 });
process.once("SIGTERM", () => void node.stop("SIGTERM").then(() => process.exit(0)));
process.stdout.write("ready\n");
