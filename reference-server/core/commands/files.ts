/** File transfer: /SEND, /DATA, /RECV (§5.16). */
import type { CommandSpec } from './context.ts';
import { fail } from '../errors.ts';
import { isValidFileName } from '../names.ts';
import { event, fileDataLine, ok } from '../replies.ts';
import { sendToUser } from '../emit.ts';
import { currentChannel, memberNamed, registered, reply } from './context.ts';
import {
  FILEDATA_CHUNK_BYTES,
  abandonUpload,
  completeUpload,
  fitsPendingBytes,
  isBase64,
  openUpload,
  pendingCount,
  takeWaitingFile,
} from '../files.ts';

export const send: CommandSpec = {
  usage: '/SEND <nick> <name> <size>',
  minArgs: 3,
  maxArgs: 3,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user } = ctx;
    const [nick, name, sizeText] = ctx.args as [string, string, string];
    if (!isValidFileName(name)) fail('SYNTAX', 'a file name is 1 to 64 letters, digits, ., _ or -');
    if (!/^[0-9]+$/.test(sizeText) || Number(sizeText) < 1) fail('SYNTAX', 'the size is a number of bytes, at least 1');
    const size = Number(sizeText);
    const channel = currentChannel(user);
    const recipient = memberNamed(state, channel, nick);
    const limit = state.options.maxFileBytes;
    if (size > limit) fail('FILE_TOO_LARGE', `the largest file is ${limit} bytes`);
    // The sender's unfinished upload to the same recipient is about to be replaced: it does not count.
    const replaced = user.upload !== null && user.upload.recipient === recipient ? 1 : 0;
    if (pendingCount(recipient) - replaced >= state.options.maxPendingFiles) {
      fail('LIMIT', `${recipient.nick} already has ${state.options.maxPendingFiles} files waiting`);
    }
    if (!fitsPendingBytes(state, user, size)) fail('LIMIT', 'the server holds too many waiting files, try again later');
    openUpload(state, user, recipient, name, size);
    reply(ctx, ok('SEND', `${recipient.nick} ${name} ${size}`));
  }),
};

export const data: CommandSpec = {
  usage: '/DATA <base64>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const chunk = ctx.args[0]!;
    if (!isBase64(chunk)) {
      abandonUpload(state, user); // §5.16.2: the upload is abandoned
      fail('SYNTAX', 'not base64 (RFC 4648, with padding): the upload is abandoned');
    }
    const upload = user.upload;
    if (upload === null) fail('NOT_ALLOWED', 'no upload is open: /SEND first');
    const bytes = Buffer.from(chunk, 'base64');
    if (upload.received + bytes.length > upload.size) {
      abandonUpload(state, user);
      fail('SYNTAX', `more than the ${upload.size} bytes announced: the upload is abandoned`);
    }
    upload.chunks.push(bytes);
    upload.received += bytes.length;
    if (upload.received === upload.size) {
      const delivered = completeUpload(state, user);
      if (delivered !== null) {
        sendToUser(out, delivered.recipient, event.file(user.nick, upload.name, upload.size));
      }
    }
    reply(ctx, ok('DATA', `${upload.received} ${upload.size}`));
  }),
};

export const recv: CommandSpec = {
  usage: '/RECV <name>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run(ctx) {
    const name = ctx.args[0]!;
    const file = takeWaitingFile(ctx.state, ctx.user, name);
    if (file === undefined) fail('NO_SUCH_FILE', `no file called ${name} is waiting for you`);
    for (let offset = 0; offset < file.data.length; offset += FILEDATA_CHUNK_BYTES) {
      const piece = file.data.subarray(offset, offset + FILEDATA_CHUNK_BYTES);
      reply(ctx, fileDataLine(name, piece.toString('base64')));
    }
    reply(ctx, ok('RECV', `${name} ${file.data.length} ${file.from}`));
  },
};
