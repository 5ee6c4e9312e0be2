// A node daemon in a process of its own, so a test can SIGKILL or SIGSTOP it: argv[2] is the
// JSON of its RemoteNodeOptions. Prints "ready" once it answers.
import { startRemoteNode, type RemoteNodeOptions } from "../index.js";

const options = JSON.parse(process.argv[2] ?? "{}") as RemoteNodeOptions;
const node = await startRemoteNode(options);
process.once("SIGTERM", () => void node.stop("received SIGTERM").then(() => process.exit(0)));
process.stdout.write("ready\n");
