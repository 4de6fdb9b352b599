"""The live class's Lua scripts for Redis (rnnviz.classroom_redis runs them): one atomic
script per operation of the ClassStore protocol, each made of the shared prelude (the class's
keys, the caps, expiry and the view every script returns) and its own body. Text only: it
connects to nothing and holds no rule that rnnviz.classroom does not state."""

from __future__ import annotations

# Helpers every script starts with. KEYS[1]: the class's hash (its other keys share the name
# as a prefix), KEYS[2]: classroom_redis.INDEX. ARGV[1]: now, ARGV[2..9]: the caps (read at each call so that
# tests may lower them), ARGV[10..]: the operation's own arguments.
PRELUDE = """
local base = KEYS[1]
local code = string.sub(base, ARGV[9] + 1)
local now = tonumber(ARGV[1])
local listener_seconds = tonumber(ARGV[2])
local max_classes = tonumber(ARGV[3])
local max_listeners = tonumber(ARGV[4])
local max_voters = tonumber(ARGV[5])
local vote_burst = tonumber(ARGV[6])
local vote_window = tonumber(ARGV[7])
local class_seconds = tonumber(ARGV[8])
local origin = ARGV[10]

local function number(value) return string.format("%.17g", value) end
local function keep(key, expires) redis.call("EXPIRE", key, math.max(1, math.ceil(expires - now))) end
local function ballots(sec, round) return base .. ":b:" .. sec .. ":" .. round end
local function counts(sec, round) return base .. ":c:" .. sec .. ":" .. round end

local function forget_question(sec)
  for round = 1, 2 do redis.call("DEL", ballots(sec, round), counts(sec, round)) end
end

local function load()
  local f = redis.call("HMGET", base, "sec", "step", "version", "expires", "secret")
  if not f[1] then return nil end
  local room = {sec = tonumber(f[1]), step = tonumber(f[2]), version = tonumber(f[3]),
                expires = tonumber(f[4]), secret = f[5]}
  if room.expires <= now then
    for _, sec in ipairs(redis.call("HKEYS", base .. ":q")) do forget_question(sec) end
    redis.call("DEL", base, base .. ":q", base .. ":f", base .. ":a", base .. ":r")
    redis.call("ZREM", KEYS[2], code)
    return nil
  end
  return room
end

local function owned(secret_hash)
  local room = load()
  if not room then return nil, "unknown" end
  if room.secret ~= secret_hash then return nil, "forbidden" end
  return room
end

local function question(sec)
  local raw = redis.call("HGET", base .. ":q", tostring(sec))
  if not raw then return nil end
  local c, r, o, v = string.match(raw, "(%d+) (%d+) (%d+) (%d+)")
  return {choices = tonumber(c), round = tonumber(r), open = o == "1", revealed = v == "1"}
end

local function save_question(sec, q, expires)
  redis.call("HSET", base .. ":q", tostring(sec), string.format("%d %d %d %d",
    q.choices, q.round, q.open and 1 or 0, q.revealed and 1 or 0))
  keep(base .. ":q", expires)
end

local function view(status, room)
  local alive = number(now - listener_seconds)
  local following = redis.call("ZCOUNT", base .. ":f", alive, "+inf")
  local alone = redis.call("ZCOUNT", base .. ":a", alive, "+inf")
  local out = {status, room.sec, room.step, room.version, number(room.expires),
               following, following + alone}
  local q = question(room.sec)
  if q then
    table.insert(out, q.choices)
    table.insert(out, q.round)
    table.insert(out, q.open and 1 or 0)
    table.insert(out, q.revealed and 1 or 0)
    for round = 1, 2 do
      local fields = {}
      for choice = 0, q.choices - 1 do table.insert(fields, tostring(choice)) end
      local got = redis.call("HMGET", counts(room.sec, round), unpack(fields))
      for index = 1, q.choices do table.insert(out, tonumber(got[index]) or 0) end
    end
  end
  return out
end

local function changed(room)
  room.version = redis.call("HINCRBY", base, "version", 1)
  redis.call("PUBLISH", "%(channel)s", origin .. " " .. code)
  return view("changed", room)
end
"""

CREATE = """
redis.call("ZREMRANGEBYSCORE", KEYS[2], "-inf", number(now))
if redis.call("ZCARD", KEYS[2]) >= max_classes then return {"error", "full"} end
if load() then return {"error", "taken"} end
local expires = now + class_seconds
redis.call("HSET", base, "sec", 1, "step", 0, "version", 0, "expires", number(expires),
           "secret", ARGV[11])
keep(base, expires)
redis.call("ZADD", KEYS[2], number(expires), code)
return {"created"}
"""

VIEW = """
local room = load()
if not room then return {"error", "unknown"} end
return view("same", room)
"""

SECRET = """
local room = load()
if not room then return false end
return room.secret
"""

MOVE = """
local room, refused = owned(ARGV[11])
if not room then return {"error", refused} end
local sec, step, choices = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
local q = question(sec)
local replaced = false
if choices > 0 and (q == nil or q.choices ~= choices) then
  forget_question(sec)
  save_question(sec, {choices = choices, round = 1, open = true, revealed = false}, room.expires)
  replaced = true
end
local moved = room.sec ~= sec or room.step ~= step or replaced
room.sec, room.step = sec, step
redis.call("HSET", base, "sec", sec, "step", step)
if moved then return changed(room) end
return view("same", room)
"""

STEP = """
local room, refused = owned(ARGV[11])
if not room then return {"error", refused} end
local step = tonumber(ARGV[12])
if room.step == step then return view("same", room) end
room.step = step
redis.call("HSET", base, "step", step)
return changed(room)
"""

ROUND = """
local room, refused = owned(ARGV[11])
if not room then return {"error", refused} end
local q = question(room.sec)
if not q then return {"error", "no-question"} end
local action = ARGV[12]
if action == "close" then
  if not q.open or q.revealed then return {"error", "wrong-round"} end
  q.open = false
elseif action == "second" then
  if q.round ~= 1 or q.open or q.revealed then return {"error", "wrong-round"} end
  q.round, q.open = 2, true
else
  if q.revealed then return {"error", "wrong-round"} end
  q.open, q.revealed = false, true
end
save_question(room.sec, q, room.expires)
return changed(room)
"""

VOTE = """
local room = load()
if not room then return {"error", "unknown"} end
local page, sec, round, choice = ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
local q = question(room.sec)
if not q or sec ~= room.sec then return {"error", "other-question"} end
if round ~= q.round or not q.open or q.revealed then return {"error", "closed"} end
if choice < 0 or choice > q.choices - 1 then return {"error", "invalid"} end
if not redis.call("ZSCORE", base .. ":f", page) and not redis.call("ZSCORE", base .. ":a", page) then
  return {"error", "not-listening"}
end
local box = ballots(sec, round)
local before = redis.call("HGET", box, page)
if not before and redis.call("HLEN", box) >= max_voters then return {"error", "full"} end
local recent = {}
for seen in string.gmatch(redis.call("HGET", base .. ":r", page) or "", "%S+") do
  if now - tonumber(seen) < vote_window then table.insert(recent, seen) end
end
if #recent >= vote_burst then return {"error", "too-many"} end
table.insert(recent, number(now))
redis.call("HSET", base .. ":r", page, table.concat(recent, " "))
keep(base .. ":r", room.expires)
if before and tonumber(before) == choice then return view("same", room) end
redis.call("HSET", box, page, choice)
keep(box, room.expires)
local tally = counts(sec, round)
if before then redis.call("HINCRBY", tally, before, -1) end
redis.call("HINCRBY", tally, tostring(choice), 1)
keep(tally, room.expires)
return changed(room)
"""

OWN = """
if not load() then return {false, false} end
local page, sec = ARGV[11], ARGV[12]
return {redis.call("HGET", ballots(sec, 1), page), redis.call("HGET", ballots(sec, 2), page)}
"""

LISTEN = """
local room = load()
if not room then return {"error", "unknown"} end
local page, following = ARGV[11], ARGV[12] == "1"
local stale = "(" .. number(now - 3600)
for _, key in ipairs({base .. ":f", base .. ":a"}) do
  for _, gone in ipairs(redis.call("ZRANGEBYSCORE", key, "-inf", stale)) do
    redis.call("HDEL", base .. ":r", gone)
  end
  redis.call("ZREMRANGEBYSCORE", key, "-inf", stale)
end
local seen_following = redis.call("ZSCORE", base .. ":f", page)
local seen = seen_following or redis.call("ZSCORE", base .. ":a", page)
if not seen and redis.call("ZCARD", base .. ":f") + redis.call("ZCARD", base .. ":a") >= max_listeners then
  return {"error", "full"}
end
local into, out = base .. ":f", base .. ":a"
if not following then into, out = out, into end
redis.call("ZADD", into, number(now), page)
redis.call("ZREM", out, page)
keep(into, room.expires)
if not seen or (seen_following ~= false) ~= following or now - tonumber(seen) > listener_seconds then
  return changed(room)
end
return view("same", room)
"""

LEAVE = """
local room = load()
if not room then return {"error", "unknown"} end
local page = ARGV[11]
if redis.call("ZREM", base .. ":f", page) + redis.call("ZREM", base .. ":a", page) == 0 then
  return view("same", room)
end
return changed(room)
"""


BODIES = {
    "create": CREATE,
    "view": VIEW,
    "secret": SECRET,
    "move": MOVE,
    "step": STEP,
    "round": ROUND,
    "vote": VOTE,
    "own": OWN,
    "listen": LISTEN,
    "leave": LEAVE,
}


def script(name: str, channel: str) -> str:
    """The whole Lua source of operation `name`, telling changes on pub/sub `channel`."""
    return PRELUDE.replace("%(channel)s", channel) + BODIES[name]
