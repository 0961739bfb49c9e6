#!/usr/bin/env bash
# Run from the repository root after `make build`: bash docs/examples/story.sh
# It starts its own server on 127.0.0.1:18090 with a fresh data directory.
# One complete story against the real server (the binary, embedded store).
set -euo pipefail
BIN=${BIN:-./bin/skillsmatch}; DATA=$(mktemp -d); ADDR=127.0.0.1:18090; B=http://$ADDR/api/v1
PW='correct horse battery'
echo "$PW" | $BIN user add --role officer --email officer@haskovo.bg --name "Елена Димова" --data $DATA >/dev/null
$BIN serve --addr $ADDR --data $DATA >"$DATA/server.log" 2>&1 & PID=$!
trap 'kill $PID 2>/dev/null' EXIT
until curl -sf http://$ADDR/readyz >/dev/null; do sleep 0.1; done
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
call() { local m=$1 p=$2 t=$3 body=${4:-}; if [ -n "$body" ]; then curl -s -X $m "$B$p" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' -H 'Accept-Language: en' -d "$body"; else curl -s -X $m "$B$p" -H "Authorization: Bearer $t" -H 'Accept-Language: en'; fi; }
signup() { curl -s -X POST $B/auth/register -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$PW\",\"role\":\"$2\",\"name\":\"$3\"}" >/dev/null; login $1; }
login() { curl -s -X POST $B/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$PW\"}" | j 'd["accessToken"]'; }
OFF=$(login officer@haskovo.bg)
EMP=$(signup hr@mbal-haskovo.bg employer "Отдел ЧР")
SK=$(curl -s "$B/skills?q=patient&lang=en&limit=3")
S1=$(echo "$SK" | j 'd["items"][0]["id"]'); S2=$(echo "$SK" | j 'd["items"][1]["id"]')
echo "skills used: $(echo "$SK" | j 'd["items"][0]["label"]') ; $(echo "$SK" | j 'd["items"][1]["label"]')"
E=$(call POST /employers $EMP '{"name":"МБАЛ Хасково","eik":"000695235","sector":"healthcare","municipality":"Хасково","location":{"lat":41.934,"lon":25.555}}' | j 'd["id"]')
call POST /employers/$E/verification $OFF '{"verified":true,"note":"checked in the Commercial Register"}' >/dev/null
need() { call POST /needs $EMP "{\"employerId\":\"$E\",\"kind\":\"$1\",\"title\":\"$2\",\"sector\":\"healthcare\",\"workMode\":\"onsite\",\"positions\":$3,\"hours\":\"full_time\",\"startDate\":\"2027-02-01\",\"skills\":[{\"id\":\"$S1\",\"level\":$4,\"required\":true},{\"id\":\"$S2\",\"level\":2,\"required\":false}],\"location\":{\"municipality\":\"Хасково\",\"lat\":41.934,\"lon\":25.555}}" | j 'd["id"]'; }
JOB=$(need job "Медицинска сестра" 2 3)
I1=$(need internship "Стаж в отделение" 1 3); I2=$(need internship "Стаж в лаборатория" 1 2)
echo "1. employer need → $JOB (job), internships $I1 $I2"
prof() { call PUT /profiles/me $1 "{\"displayName\":\"$2\",\"birthDate\":\"$3\",\"phone\":\"+35988800000$4\",\"municipality\":\"Хасково\",\"location\":{\"lat\":41.93,\"lon\":25.55},\"maxTravelKm\":30,\"workModes\":[\"onsite\"],\"skills\":[{\"id\":\"$S1\",\"level\":$5}],\"languages\":[{\"code\":\"bg\",\"level\":\"C2\"}],\"educationLevel\":3,\"interests\":{\"kinds\":[]},\"availableFrom\":\"2027-01-01\",\"consent\":{\"matching\":true}}" | j 'd["id"]'; }
A=$(signup ana@example.bg jobseeker "Ана"); PA=$(prof $A "Ана Петрова" 2003-04 1 3)
G=$(signup georgi@example.bg jobseeker "Георги"); PG=$(prof $G "Георги Илиев" 2007-02 2 2)
D=$(signup desi@example.bg jobseeker "Деси"); PD=$(prof $D "Деси Колева" 2001-09 3 2)
M1=$(call POST /needs/$JOB/applications $A | j 'd["id"]'); M2=$(call POST /needs/$JOB/applications $D | j 'd["id"]')
echo "2. applications: Ана $M1, Деси $M2; applying twice → $(call POST /needs/$JOB/applications $A | j 'd["status"]')"
echo "   employer before referral: GET /matches/$M1 → $(call GET /matches/$M1 $EMP | j 'd["status"]'), GET /profiles/$PA → $(call GET /profiles/$PA $EMP | j 'd["status"]')"
call POST /matches/$M1/transitions $OFF '{"to":"referred","note":"strong fit"}' | j '"3. referred; outcome due " + d["outcomeDue"]'
echo "   employer after referral reads: $(call GET /profiles/$PA $EMP | j 'd["displayName"] + " " + d["phone"]')"
for to in interview offered; do call POST /matches/$M1/transitions $EMP "{\"to\":\"$to\"}" >/dev/null; done
call POST /matches/$M1/transitions $OFF '{"to":"placed","note":"contract signed"}' | j '"4. outcome: " + " → ".join(h["to"] for h in d["history"])'
call POST /matches/$M2/transitions $OFF '{"to":"rejected","reason":"availability"}' | j '"   Деси: rejected for " + d["reason"]'
echo "   a move out of a final state (rejected → interview): $(call POST /matches/$M2/transitions $OFF '{"to":"interview"}' | j 'd["status"]')"
R=$(call POST /rounds $OFF "{\"name\":\"Стажове 2027\",\"programme\":\"internship\",\"needIds\":[\"$I1\",\"$I2\"],\"closesAt\":\"2027-01-15T00:00:00Z\"}" | j 'd["id"]')
for t in $A $G $D; do call PUT /rounds/$R/preferences/me $t "{\"needIds\":[\"$I1\",\"$I2\"]}" >/dev/null; done
call POST /rounds/$R/run $OFF | j '"5. round run: " + json.dumps({a["needId"][:6]: [p[:6] for p in a["profileIds"]] for a in d["assignments"]}) + " unassigned " + json.dumps([(u["profileId"][:6], u["reason"]) for u in d["unassigned"]]) + " blockingPairs=" + str(d["blockingPairs"]) + " proposals=" + str(d["stats"]["proposals"])'
echo "   (Ана=${PA:0:6} Георги=${PG:0:6} Деси=${PD:0:6})"
call POST /rounds/$R/publish $OFF | j '"   published: " + str(d["matchesCreated"]) + " proposed matches"'
P=$(call POST /pathways $OFF "{\"name\":{\"bg\":\"Път към грижата\",\"en\":\"Care Career Path\"},\"stages\":[{\"key\":\"orientation\",\"name\":{\"bg\":\"Ориентиране\",\"en\":\"Orientation\"},\"requirements\":[{\"key\":\"medical\",\"name\":{\"bg\":\"Медицинско\",\"en\":\"Medical certificate\"}}]},{\"key\":\"training\",\"name\":{\"bg\":\"Обучение\",\"en\":\"Training\"},\"grantsSkills\":[{\"id\":\"$S1\",\"level\":3}]}]}" | j 'd["id"]')
rank() { call GET /needs/$JOB/matches $OFF | j '", ".join("%s %.3f" % ({"'$PA'":"Ана","'$PG'":"Георги","'$PD'":"Деси"}[i["candidate"]["profileId"]], i["score"]) for i in d["items"])'; }
echo "6. ranking for the job before: $(rank)"
call POST /pathways/$P/participants $G "{\"profileId\":\"$PG\"}" >/dev/null
call POST /pathways/$P/participants/$PG/acceptance $OFF >/dev/null
call POST /pathways/$P/participants/$PG/checks $OFF "{\"requirement\":\"medical\",\"checked\":true,\"on\":\"$(date +%F)\"}" >/dev/null
call POST /pathways/$P/participants/$PG/progress $OFF '{"stage":"orientation","status":"completed"}' >/dev/null
call POST /pathways/$P/participants/$PG/progress $OFF '{"stage":"training","status":"completed","mentor":"Сестра Иванова"}' | j '"   Георги completes training: status " + d["status"]'
echo "   Георги's skill now: $(call GET /profiles/me $G | j 'str(d["skills"][0]["level"]) + " " + d["skills"][0]["evidence"]')"
echo "   ranking for the job after: $(rank)"
call GET /insights/indicators $OFF | j '"7. indicators: " + json.dumps({k: d[k] for k in ("employers","needs","profiles","matches","pathways")}, ensure_ascii=False)'
call GET "/insights/skills-gap?lang=en" $OFF | j '"   skills gap: " + json.dumps([{k: r[k] for k in ("label","demand","supply","gap")} for r in d["items"]])'
curl -s -o "$DATA/indicators.xlsx" -w "   indicators.xlsx: %{http_code} %{size_download} bytes\n" "$B/exports/indicators.xlsx" -H "Authorization: Bearer $OFF"
