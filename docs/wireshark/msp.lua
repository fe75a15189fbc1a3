-- msp.lua: a Wireshark dissector for MSP (Minokamo Secure Protocol), from MSP Workbench.
--
-- Shows every field as the workbench's inspector does: SYNC, LENGTH, VERSION, TYPE (named),
-- the payload as bytes and, when it is UTF-8, as text, and the CRC with the value it should
-- have had and an expert warning when it is wrong. Bytes outside any frame are shown as junk.
--
-- TCP: frames split over segments are put back together (dissect_tcp_pdus); MSP is found on
-- port 9009 and, by a heuristic (a segment that starts with AA 55 and a sane LENGTH), on any
-- port. Serial: the workbench exports a serial port as LINKTYPE_USER0 (147) with the port as
-- the interface name and each packet's direction in its flags; this file registers for it.
--
-- Install: copy it into Wireshark's personal Lua plugins folder (Help > About Wireshark >
-- Folders > Personal Lua Plugins), or run `tshark -X lua_script:msp.lua -r capture.pcapng`.

local msp = Proto("msp", "MSP (Minokamo Secure Protocol)")

-- BEGIN GENERATED TYPE NAMES (from shared/msp/type-names.ts: npm run gen:wireshark)
local type_names = {
  [0x10] = "DATA",
  [0x11] = "ACK",
  [0x12] = "SERVICES_QUERY",
  [0x13] = "SERVICES_LIST",
  [0x14] = "UNSUPPORTED",
  [0x20] = "ENCRYPTED_DATA",
  [0x30] = "HELLO",
  [0x31] = "HELLO_REPLY",
  [0x32] = "CLIENT_CONFIRM",
  [0x33] = "SERVER_CONFIRM",
  [0x34] = "SEALED_DATA",
  [0x35] = "SEALED_ACK",
  [0x36] = "SEALED_SERVICE",
  [0x3F] = "ALERT",
  [0x40] = "FT_OFFER",
  [0x41] = "FT_ACCEPT",
  [0x42] = "FT_REFUSE",
  [0x43] = "FT_CHUNK",
  [0x44] = "FT_PROGRESS",
  [0x45] = "FT_NAK",
  [0x46] = "FT_DONE",
  [0x47] = "FT_CANCEL",
  [0x50] = "RC_LIST_REQUEST",
  [0x51] = "RC_LIST",
  [0x52] = "RC_RUN",
  [0x53] = "RC_STARTED",
  [0x54] = "RC_OUTPUT",
  [0x55] = "RC_EXIT",
  [0x56] = "RC_REFUSED",
  [0x57] = "RC_CANCEL",
}
local type_ranges = {
  { 0x12, 0x1F, "service" },
  { 0x40, 0x4F, "file transfer" },
  { 0x50, 0x5F, "remote control" },
  { 0x60, 0x6F, "automation" },
  { 0x70, 0x7F, "reserved service" },
}
-- END GENERATED TYPE NAMES

local function type_name(t)
  local own = type_names[t]
  if own then return own end
  for _, r in ipairs(type_ranges) do
    if t >= r[1] and t <= r[2] then return string.format("%s 0x%02X", r[3], t) end
  end
  return string.format("0x%02X", t)
end

local type_strings = {}
for t = 0, 255 do type_strings[t] = type_name(t) end

local f = {
  sync = ProtoField.uint16("msp.sync", "SYNC", base.HEX),
  length = ProtoField.uint16("msp.length", "LENGTH", base.DEC),
  version = ProtoField.uint8("msp.version", "VERSION", base.DEC),
  type = ProtoField.uint8("msp.type", "TYPE", base.HEX, type_strings),
  payload = ProtoField.bytes("msp.payload", "Payload"),
  text = ProtoField.string("msp.text", "Payload (UTF-8 text)"),
  crc = ProtoField.uint8("msp.crc", "CRC", base.HEX),
  crc_expected = ProtoField.uint8("msp.crc.expected", "CRC expected", base.HEX),
  crc_good = ProtoField.bool("msp.crc.good", "CRC good"),
  junk = ProtoField.bytes("msp.junk", "Not in any MSP frame"),
}
msp.fields = { f.sync, f.length, f.version, f.type, f.payload, f.text, f.crc, f.crc_expected, f.crc_good, f.junk }

local e_bad_crc = ProtoExpert.new("msp.crc.bad", "Bad CRC", expert.group.CHECKSUM, expert.severity.WARN)
local e_bad_length = ProtoExpert.new("msp.length.bad", "LENGTH is below 7 (a frame is at least SYNC, LENGTH, VERSION, TYPE and CRC)", expert.group.MALFORMED, expert.severity.ERROR)
local e_junk = ProtoExpert.new("msp.junk.present", "Bytes outside any MSP frame", expert.group.PROTOCOL, expert.severity.NOTE)
local e_partial = ProtoExpert.new("msp.partial", "Frame continues beyond this packet", expert.group.SEQUENCE, expert.severity.NOTE)
msp.experts = { e_bad_crc, e_bad_length, e_junk, e_partial }

local MIN_PACKET = 7

-- Strict UTF-8, as the workbench (and Python's bytes.decode) reads a payload.
local function is_utf8(bytes)
  local i, n = 0, bytes:len()
  while i < n do
    local c = bytes:get_index(i)
    local extra, min
    if c < 0x80 then extra, min = 0, 0
    elseif c >= 0xC2 and c <= 0xDF then extra, min = 1, 0x80
    elseif c >= 0xE0 and c <= 0xEF then extra, min = 2, 0x800
    elseif c >= 0xF0 and c <= 0xF4 then extra, min = 3, 0x10000
    else return false end
    if i + extra > n - 1 then return false end
    local cp = (extra == 0) and c or (c % (2 ^ (6 - extra)))
    for k = 1, extra do
      local cc = bytes:get_index(i + k)
      if cc < 0x80 or cc > 0xBF then return false end
      cp = cp * 64 + (cc - 0x80)
    end
    if cp < min or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then return false end
    i = i + 1 + extra
  end
  return true
end

-- How long the unit at `offset` is: a frame (its LENGTH), a bad header (2 bytes, then the
-- scan resumes as the workbench's decoder does), or junk up to the next AA 55. nil: need more.
local function unit_length(tvb, offset)
  local remaining = tvb:len() - offset
  if remaining < 2 then return nil end
  if tvb(offset, 1):uint() == 0xAA and tvb(offset + 1, 1):uint() == 0x55 then
    if remaining < 4 then return nil end
    local length = tvb(offset + 2, 2):uint()
    if length < MIN_PACKET then return 2 end
    return length
  end
  for i = offset + 1, tvb:len() - 2 do
    if tvb(i, 1):uint() == 0xAA and tvb(i + 1, 1):uint() == 0x55 then return i - offset end
  end
  -- No SYNC in what we have: all junk, but a last AA may be the start of one.
  if tvb(tvb:len() - 1, 1):uint() == 0xAA then return remaining - 1 end
  return remaining
end

-- One unit (a whole frame or a run of junk) into the tree; returns a short line for the Info column.
local function dissect_unit(tvb, pinfo, tree, offset, length)
  local is_frame = tvb(offset, 1):uint() == 0xAA and offset + 1 < tvb:len() and tvb(offset + 1, 1):uint() == 0x55
  if not is_frame then
    local item = tree:add(f.junk, tvb(offset, length))
    item:add_proto_expert_info(e_junk)
    return string.format("junk (%d bytes)", length)
  end
  if length < MIN_PACKET then
    local sub = tree:add(msp, tvb(offset, length), "MSP bad header")
    sub:add(f.sync, tvb(offset, 2))
    local l = sub:add(f.length, tvb(offset + 2, 2))
    l:add_proto_expert_info(e_bad_length)
    return "bad LENGTH"
  end
  local t = tvb(offset + 5, 1):uint()
  local sub = tree:add(msp, tvb(offset, length), "MSP " .. type_name(t))
  sub:add(f.sync, tvb(offset, 2))
  sub:add(f.length, tvb(offset + 2, 2))
  sub:add(f.version, tvb(offset + 4, 1))
  sub:add(f.type, tvb(offset + 5, 1))
  local payload_length = length - MIN_PACKET
  local line = type_name(t)
  local sum = 0
  if payload_length > 0 then
    local payload = tvb(offset + 6, payload_length)
    sub:add(f.payload, payload)
    local bytes = payload:bytes()
    for i = 0, payload_length - 1 do sum = (sum + bytes:get_index(i)) % 256 end
    if is_utf8(bytes) then
      local text = payload:string(ENC_UTF_8)
      sub:add(f.text, payload, text)
      line = line .. ' "' .. (text:len() > 40 and (text:sub(1, 40) .. "…") or text) .. '"'
    end
  end
  local crc_range = tvb(offset + length - 1, 1)
  local crc = crc_range:uint()
  local crc_item = sub:add(f.crc, crc_range)
  sub:add(f.crc_expected, crc_range, sum):set_generated()
  sub:add(f.crc_good, crc_range, crc == sum):set_generated()
  if crc ~= sum then
    crc_item:add_proto_expert_info(e_bad_crc, string.format("Bad CRC 0x%02X (should be 0x%02X)", crc, sum))
    line = line .. " [bad CRC]"
  end
  return line
end

local function set_columns(pinfo, lines, partial)
  pinfo.cols.protocol = "MSP"
  if partial then table.insert(lines, "part of a frame") end
  if #lines > 0 then pinfo.cols.info = table.concat(lines, ", ") end
end

-- TCP: dissect_tcp_pdus asks for each unit's length and hands over whole units.
local function tcp_unit_length(tvb, pinfo, offset)
  return unit_length(tvb, offset) or -1 -- -1: one more segment (DESEGMENT_ONE_MORE_SEGMENT)
end

local tcp_lines = {}
local function tcp_dissect_unit(tvb, pinfo, tree)
  local length = tvb:len()
  table.insert(tcp_lines, dissect_unit(tvb, pinfo, tree, 0, length))
  set_columns(pinfo, tcp_lines)
  return length
end

function msp.dissector(tvb, pinfo, tree)
  tcp_lines = {}
  return dissect_tcp_pdus(tvb, tree, 2, tcp_unit_length, tcp_dissect_unit, true)
end

-- Any TCP port: a segment that starts with AA 55, a LENGTH of at least 7 and a known VERSION.
local function heuristic(tvb, pinfo, tree)
  if tvb:len() < 6 then return false end
  if tvb(0, 1):uint() ~= 0xAA or tvb(1, 1):uint() ~= 0x55 then return false end
  if tvb(2, 2):uint() < MIN_PACKET then return false end
  local version = tvb(4, 1):uint()
  if version < 1 or version > 3 then return false end
  pinfo.conversation = msp
  msp.dissector(tvb, pinfo, tree)
  return true
end

DissectorTable.get("tcp.port"):add(9009, msp)
msp:register_heuristic("tcp", heuristic)

-- Serial (USER0): each packet is a chunk of what one side wrote. A frame split over chunks
-- is put back together here: on the first pass, what a chunk leaves unfinished is kept per
-- interface and direction and put before the next chunk of that direction.
local msp_serial = Proto("msp_serial", "MSP over a serial line")
local interface_id = Field.new("frame.interface_id")
local carried = {}      -- [frame number] = ByteArray put before that frame's bytes
local leftover = {}     -- [interface .. direction] = ByteArray not yet dissected

function msp_serial.dissector(tvb, pinfo, tree)
  local iface = interface_id()
  local key = tostring(iface and iface.value or 0) .. "/" .. tostring(pinfo.p2p_dir)
  if not pinfo.visited then
    local before = leftover[key]
    if before and before:len() > 0 then carried[pinfo.number] = before end
  end
  local bytes = tvb
  local prefix = carried[pinfo.number]
  if prefix then
    local joined = ByteArray.new()
    joined:append(prefix)
    joined:append(tvb:bytes())
    bytes = joined:tvb("Reassembled MSP")
  end
  local subtree = tree:add(msp, bytes(), "MSP over a serial line")
  local lines = {}
  local offset = 0
  local rest = nil
  while offset < bytes:len() do
    local length = unit_length(bytes, offset)
    if length == nil or offset + length > bytes:len() then
      rest = bytes:bytes(offset)
      subtree:add_proto_expert_info(e_partial)
      break
    end
    table.insert(lines, dissect_unit(bytes, pinfo, subtree, offset, length))
    offset = offset + length
  end
  if not pinfo.visited then leftover[key] = rest end
  set_columns(pinfo, lines, rest ~= nil)
  return tvb:len()
end

local user0 = (wtap_encaps and wtap_encaps.USER0) or wtap.USER0
DissectorTable.get("wtap_encap"):add(user0, msp_serial)

function msp.init()
  carried = {}
  leftover = {}
end
