'use strict';
// The upstream side of the load server, straight on `net`: the opening handshake, the Close
// handshake in both directions, a Ping answered with a Pong, and every other frame read and
// dropped. That is all the benchmark's upstreams ever do, and doing only that costs far less
// than `http` and `ws` did: at 1,000 reconnections a second those built an IncomingMessage, a
// ServerResponse, a WebSocket with its Receiver and Sender streams and their listeners for every
// connection, and the load server took half a core of the two that closewatch is measured on
// (docs/performance.md, round 27).
//
// What a client sees is what `ws` (8.18, perMessageDeflate off, clientTracking off) answered:
// 101 with Sec-WebSocket-Accept and the first subprotocol offered, no extension; a Close sent
// by the server with its code and reason; the client's Close answered with its code and
// reason (so the client's CloseEvent reports what it sent); the TCP connection ended by the server once both Close frames have passed (RFC 6455
// §7.1.1), or dropped 30 s after a Close the client never answered.
const crypto = require('crypto');

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HEAD_BYTES = 16 * 1024;
const MAX_FRAME_BYTES = 1024 * 1024;
const CLOSE_TIMEOUT_MS = 30_000;
const HEAD_END = Buffer.from('\r\n\r\n');

// The request line and headers of an HTTP/1.1 request, lower-cased header names; null when it is
// not one
function parseHead(text) {
  const lines = text.split('\r\n');
  const [method, target, version] = lines[0].split(' ');
  if (!method || !target || !version || !version.startsWith('HTTP/1.')) return null;
  const headers = new Map();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) continue;
    headers.set(lines[i].slice(0, colon).trim().toLowerCase(), lines[i].slice(colon + 1).trim());
  }
  return { method, target, headers };
}

// Reads the opening request of a new connection and calls back with it and the bytes that came
// after it: onRequest(request, rest), request null when the bytes are no HTTP request (the
// socket is destroyed then)
function readRequest(socket, onRequest) {
  let head = null;
  const onData = (chunk) => {
    head = head ? Buffer.concat([head, chunk]) : chunk;
    const end = head.indexOf(HEAD_END);
    if (end < 0) {
      if (head.length > MAX_HEAD_BYTES) {
        socket.removeListener('data', onData);
        socket.destroy();
        onRequest(null, null);
      }
      return;
    }
    socket.removeListener('data', onData);
    socket.pause();
    const request = parseHead(head.toString('latin1', 0, end));
    if (!request) socket.destroy();
    onRequest(request, head.subarray(end + HEAD_END.length));
  };
  socket.on('data', onData);
}

// Answers a request that will not be upgraded, and ends the connection
function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

// Whether the request asks for a WebSocket
function isUpgrade(request) {
  return request.method === 'GET' && /^websocket$/i.test(request.headers.get('upgrade') || '')
    && request.headers.has('sec-websocket-key');
}

// One upgraded connection. onClose(code, reason) is called once, when the TCP connection has
// closed, with the code and reason of the client's Close frame (1005 for one without a code,
// 1006 when none came), as `ws`'s 'close' event reported them.
class Connection {
  constructor(socket, onClose) {
    this.socket = socket;
    this.onClose = onClose;
    this.closeSent = false;
    this.closeReceived = false;
    this.code = 1006;
    this.reason = '';
    this.pending = null;
    this.timer = null;
  }

  // sends a Close frame (reason at most 123 bytes of UTF-8)
  close(code, reason = '') {
    if (this.closeSent || this.socket.destroyed) return;
    this.closeSent = true;
    const text = Buffer.from(reason, 'utf8');
    const frame = Buffer.allocUnsafe(4 + text.length);
    frame[0] = 0x88;
    frame[1] = 2 + text.length;
    frame.writeUInt16BE(code, 2);
    text.copy(frame, 4);
    this.socket.write(frame);
    if (this.closeReceived) {
      this.socket.end();
    } else {
      this.timer = setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
      this.timer.unref();
    }
  }

  // drops the connection with a TCP reset, no Close frame
  reset() {
    this.socket.resetAndDestroy();
  }

  receive(chunk) {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (!this.closeReceived && buffer.length - at >= 2) {
      const first = buffer[at];
      const second = buffer[at + 1];
      let length = second & 0x7f;
      let payloadAt = at + 2;
      if (length === 126) {
        if (buffer.length - payloadAt < 2) break;
        length = buffer.readUInt16BE(payloadAt);
        payloadAt += 2;
      } else if (length === 127) {
        if (buffer.length - payloadAt < 8) break;
        length = buffer.readUInt32BE(payloadAt) * 2 ** 32 + buffer.readUInt32BE(payloadAt + 4);
        payloadAt += 8;
      }
      if (length > MAX_FRAME_BYTES) {
        this.socket.destroy();
        return;
      }
      const maskAt = payloadAt;
      const masked = (second & 0x80) !== 0;
      if (masked) payloadAt += 4;
      if (buffer.length - payloadAt < length) break;
      const opcode = first & 0x0f;
      if (opcode === 0x8 || opcode === 0x9) {
        const payload = Buffer.from(buffer.subarray(payloadAt, payloadAt + length));
        if (masked) for (let i = 0; i < length; i++) payload[i] ^= buffer[maskAt + (i & 3)];
        if (opcode === 0x8) this.closeReceivedWith(payload);
        else this.pong(payload);
      }
      at = payloadAt + length;
    }
    this.pending = !this.closeReceived && at < buffer.length ? Buffer.from(buffer.subarray(at)) : null;
  }

  pong(payload) {
    if (this.closeSent) return;
    const frame = Buffer.allocUnsafe(2 + payload.length);
    frame[0] = 0x8a;
    frame[1] = payload.length;
    payload.copy(frame, 2);
    this.socket.write(frame);
  }

  closeReceivedWith(payload) {
    this.closeReceived = true;
    this.code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    this.reason = payload.length > 2 ? payload.toString('utf8', 2) : '';
    if (this.closeSent) {
      this.socket.end();
    } else if (this.code === 1005) {
      this.closeSent = true;
      this.socket.end(Buffer.from([0x88, 0x00]));
    } else {
      this.close(this.code, this.reason);
    }
  }

  closed() {
    clearTimeout(this.timer);
    this.onClose(this.code, this.reason);
  }
}

// Completes the opening handshake of `request` (isUpgrade) and answers the connection's frames
// from then on; `rest` is what the client sent after its request
function accept(socket, request, rest, onClose) {
  const key = request.headers.get('sec-websocket-key');
  const acceptKey = crypto.createHash('sha1').update(key + GUID).digest('base64');
  const offered = request.headers.get('sec-websocket-protocol');
  const protocol = offered ? `Sec-WebSocket-Protocol: ${offered.split(',')[0].trim()}\r\n` : '';
  socket.setNoDelay(true);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
    + `Sec-WebSocket-Accept: ${acceptKey}\r\n${protocol}\r\n`);
  const connection = new Connection(socket, onClose);
  socket.on('data', (chunk) => connection.receive(chunk));
  socket.on('close', () => connection.closed());
  if (rest && rest.length) connection.receive(rest);
  socket.resume();
  return connection;
}

module.exports = { readRequest, refuse, isUpgrade, accept };
