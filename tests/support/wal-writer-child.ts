// A mirror that commits live messages one transaction each, then is killed (SIGKILL) before its
// WAL checkpointer's timers can run: what it committed is only in the -wal file.
//   node --import tsx tests/support/wal-writer-child.ts <db file> <messages>
import { openDatabase } from '../../src/main/core/db/open';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { realTimers } from '../../src/main/core/sync/timers';
import { migrationsDir } from './temp-db';
import { liveMessage, seedConversation } from './wal-writes';

const [file, countText] = process.argv.slice(2);
const count = Number(countText);
const database = openDatabase({ file: file!, migrationsDir });
const mirror = new Mirror(database, { timers: realTimers });
const conversationId = seedConversation(mirror);
for (let i = 1; i <= count; i++) mirror.transaction(() => mirror.messages.apply(conversationId, [liveMessage(i)]));
process.stdout.write(`committed ${count}\n`, () => process.kill(process.pid, 'SIGKILL'));
