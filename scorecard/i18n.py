"""The message catalogue: every string the terminal app shows, in Russian and English.

One table, keyed by a dotted name, so a translator sees every string in one place and a
test can check that no language misses a key. The grading service raises errors by key
too, so the same failure reads in the listener's language on screen and in English in logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

LANGUAGES = ("ru", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # -- app -------------------------------------------------------------------------------
    "app.title": {"ru": "scorecard — оценка звонков", "en": "scorecard — call quality"},
    "app.quit": {"ru": "Выход", "en": "Quit"},
    "app.back": {"ru": "Назад", "en": "Back"},
    "app.role_no_screens": {
        "ru": "У роли «{role}» нет экранов в этой версии: войдите как qa, lead, trainer "
              "или admin.",
        "en": "The role {role!r} has no screens in this version: log in as qa, lead, "
              "trainer or admin.",
    },
    # -- queue -----------------------------------------------------------------------------
    "queue.title": {"ru": "Очередь", "en": "Queue"},
    "queue.subtitle": {"ru": "{user}: {mine} ваших, {shared} в общей очереди",
                       "en": "{user}: {mine} yours, {shared} in the shared queue"},
    "queue.loading": {"ru": "Загружаю очередь…", "en": "Loading the queue…"},
    "queue.empty": {"ru": "Очередь пуста: новых звонков для оценки нет.",
                    "en": "The queue is empty: no calls to grade."},
    "queue.col.operator": {"ru": "Оператор", "en": "Operator"},
    "queue.col.started": {"ru": "Дата и время", "en": "Date and time"},
    "queue.col.talk": {"ru": "Разговор", "en": "Talk"},
    "queue.col.card": {"ru": "Карта", "en": "Card"},
    "queue.col.status": {"ru": "Статус", "en": "Status"},
    "queue.col.call": {"ru": "Звонок", "en": "Call"},
    "queue.status.new": {"ru": "новый", "en": "new"},
    "queue.status.claimed": {"ru": "взят", "en": "claimed"},
    "queue.status.draft": {"ru": "черновик", "en": "draft"},
    "queue.status.shared": {"ru": "общий", "en": "shared"},
    "queue.open": {"ru": "Открыть", "en": "Open"},
    "queue.next": {"ru": "Следующий", "en": "Next call"},
    "queue.sort": {"ru": "Сортировка", "en": "Sort"},
    "queue.reverse": {"ru": "Обратный порядок", "en": "Reverse"},
    "queue.refresh": {"ru": "Обновить", "en": "Refresh"},
    "queue.show_submitted": {"ru": "Сданные", "en": "Submitted"},
    "queue.submitted_shown": {"ru": "Показаны и ваши сданные оценки за 7 дней.",
                              "en": "Showing your evaluations submitted in the last 7 days too."},
    "queue.submitted_hidden": {"ru": "Сданные оценки скрыты.",
                               "en": "Submitted evaluations hidden."},
    "queue.status.submitted": {"ru": "сдан", "en": "submitted"},
    "queue.sorted_by": {"ru": "Сортировка: {column}", "en": "Sorted by {column}"},
    "queue.nothing_left": {"ru": "Звонков для оценки больше нет.",
                           "en": "Nothing left to grade."},
    # -- grading ---------------------------------------------------------------------------
    "grading.title": {"ru": "Оценка звонка", "en": "Grading"},
    "grading.loading": {"ru": "Открываю звонок…", "en": "Opening the call…"},
    "grading.no_transcript": {
        "ru": "У этого звонка нет расшифровки. Оценивайте на слух: все пункты карты доступны.",
        "en": "This call has no transcript. Grade by ear: every item of the card works.",
    },
    "grading.operator": {"ru": "Оператор", "en": "Operator"},
    "grading.client": {"ru": "Клиент", "en": "Client"},
    "grading.unknown": {"ru": "Говорящий", "en": "Speaker"},
    "grading.pass": {"ru": "Да", "en": "Pass"},
    "grading.fail": {"ru": "Нет", "en": "Fail"},
    "grading.na": {"ru": "Н/п", "en": "N/a"},
    "grading.accept": {"ru": "Принять подсказку", "en": "Accept suggestion"},
    "grading.comment": {"ru": "Комментарий", "en": "Comment"},
    "grading.next_unanswered": {"ru": "Следующий без ответа", "en": "Next unanswered"},
    "grading.play": {"ru": "Запись", "en": "Play"},
    "grading.submit": {"ru": "Сдать", "en": "Submit"},
    "grading.back": {"ru": "К очереди", "en": "Queue"},
    "grading.switch_pane": {"ru": "Текст/карта", "en": "Text/card"},
    "grading.total": {"ru": "Итого", "en": "Total"},
    "grading.answered": {"ru": "отвечено {done}/{all}", "en": "answered {done}/{all}"},
    "grading.time": {"ru": "время {time}", "en": "time {time}"},
    "grading.critical": {
        "ru": "КРИТИЧЕСКАЯ ОШИБКА: {items} — итог 0",
        "en": "CRITICAL FAIL: {items} — total 0",
    },
    "grading.suggested_found": {"ru": "подсказка: сказано ({score:.0f})",
                                "en": "suggestion: said ({score:.0f})"},
    "grading.suggested_missing": {"ru": "подсказка: не найдено ({score:.0f})",
                                  "en": "suggestion: not found ({score:.0f})"},
    "grading.no_suggestion": {"ru": "подсказки нет", "en": "no suggestion"},
    "grading.evidence": {"ru": "«{text}» — фраза «{trigger}», реплика {turn}",
                         "en": "“{text}” — phrase “{trigger}”, turn {turn}"},
    "grading.hint": {"ru": "Подсказка по пункту: {hint}", "en": "Item hint: {hint}"},
    "grading.item_comment": {"ru": "Комментарий: {comment}", "en": "Comment: {comment}"},
    "grading.na_not_allowed": {"ru": "Для пункта «{item}» ответ «н/п» не предусмотрен картой.",
                               "en": "The card does not allow n/a for “{item}”."},
    "grading.critical_mark": {"ru": "критический", "en": "critical"},
    "grading.missing": {"ru": "Нет ответа на {count} пункт(ов): первый — «{item}».",
                        "en": "{count} item(s) unanswered: the first is “{item}”."},
    "grading.all_answered": {"ru": "На все пункты есть ответ: можно сдавать (Ctrl+S).",
                             "en": "Every item is answered: ready to submit (Ctrl+S)."},
    "grading.submitted": {"ru": "Оценка сдана: {total}{critical}.",
                          "en": "Evaluation submitted: {total}{critical}."},
    "grading.submitted_critical": {"ru": ", критическая ошибка", "en": ", critical fail"},
    "grading.view_submitted": {
        "ru": "Оценка уже сдана. Изменения потребуют причины и попадут в журнал.",
        "en": "Already submitted. Changes need a reason and go to the audit log.",
    },
    "grading.amended": {"ru": "Изменения сохранены, запись в журнале сделана.",
                        "en": "Changes saved and recorded in the audit log."},
    "grading.no_changes": {"ru": "Изменений нет.", "en": "Nothing changed."},
    "grading.saved_locally": {
        "ru": "База недоступна: ответы сохранены локально ({count}) и будут записаны, "
              "когда связь вернётся. {error}",
        "en": "Database unreachable: answers are kept locally ({count}) and will be saved "
              "when it is back. {error}",
    },
    "grading.saved_again": {"ru": "Связь с базой восстановлена: ответы записаны.",
                            "en": "Database is back: answers saved."},
    "grading.no_recording": {"ru": "У звонка нет записи.", "en": "This call has no recording."},
    "grading.recording_missing": {"ru": "Файл записи не найден: {path}",
                                  "en": "Recording file not found: {path}"},
    "grading.no_player": {
        "ru": "Не найден проигрыватель: установите mpv, ffplay или aplay.",
        "en": "No player found: install mpv, ffplay or aplay.",
    },
    "grading.playing": {"ru": "Играет {player} с {time}.",
                        "en": "Playing with {player} from {time}."},
    "grading.playing_from_start": {
        "ru": "Играет {player} с начала ({player} не умеет перематывать).",
        "en": "Playing with {player} from the start ({player} cannot seek).",
    },
    "grading.pause": {"ru": "Пауза", "en": "Pause"},
    "grading.rewind": {"ru": "−5 с", "en": "−5 s"},
    "grading.forward": {"ru": "+5 с", "en": "+5 s"},
    "grading.speed": {"ru": "Скорость", "en": "Speed"},
    "grading.player_keys": {
        "ru": "k пауза · j/l ∓5 с · s скорость · r к реплике",
        "en": "k pause · j/l ∓5 s · s speed · r to the turn",
    },
    "grading.player_failed": {"ru": "mpv не смог открыть запись: {error}",
                              "en": "mpv could not play the recording: {error}"},
    "grading.player_remote": {
        "ru": "Приложение открыто по SSH: запись зазвучала бы на удалённой машине, а не у "
              "вас. Слушайте запись в приложении, запущенном на своём компьютере.",
        "en": "The app runs over SSH: the recording would play on the remote machine, not "
              "yours. Listen in the app run on your own computer.",
    },
    "grading.roles.label": {"ru": "роли: по меткам", "en": "roles: by label"},
    "grading.roles.inferred": {"ru": "роли: угаданы ({label} — оператор)",
                               "en": "roles: inferred ({label} is the operator)"},
    "grading.roles.none": {"ru": "роли не определены", "en": "roles unknown"},
    # -- the standard stages of a sales script -----------------------------------------------
    "stage.contact": {"ru": "Контакт", "en": "Contact"},
    "stage.diagnosis": {"ru": "Выявление", "en": "Diagnosis"},
    "stage.presentation": {"ru": "Презентация", "en": "Presentation"},
    "stage.objections": {"ru": "Возражения", "en": "Objections"},
    "stage.price": {"ru": "Цена", "en": "Price"},
    "stage.close": {"ru": "Закрытие", "en": "Close"},
    # -- weak-stage map ---------------------------------------------------------------------
    "map.title": {"ru": "Слабые этапы", "en": "Weak stages"},
    "map.loading": {"ru": "Считаю оценки…", "en": "Counting grades…"},
    "map.status": {
        "ru": "{period} · {team} · операторов с оценками: {operators} · «?» — меньше "
              "{minimum} оценок, судить рано",
        "en": "{period} · {team} · operators graded: {operators} · “?” — fewer than "
              "{minimum} grades, too few to judge",
    },
    "map.all_teams": {"ru": "все команды", "en": "all teams"},
    "map.col.operator": {"ru": "Оператор", "en": "Operator"},
    "map.col.calls": {"ru": "Оценок", "en": "Graded"},
    "map.col.total": {"ru": "Итого", "en": "Total"},
    "map.col.item": {"ru": "Чаще всего проваливает", "en": "Failed most often"},
    "map.col.failed": {"ru": "Провалов", "en": "Failed"},
    "map.col.pass_rate": {"ru": "Выполнено", "en": "Pass rate"},
    "map.col.listener": {"ru": "Слушатель", "en": "Listener"},
    "map.open": {"ru": "Оператор", "en": "Operator"},
    "map.previous": {"ru": "Пред. месяц", "en": "Prev month"},
    "map.next": {"ru": "След. месяц", "en": "Next month"},
    "map.team": {"ru": "Команда", "en": "Team"},
    "map.queue": {"ru": "Оценивать", "en": "Grade"},
    "map.coach": {"ru": "Задача тренеру", "en": "Coach"},
    "map.coaching": {"ru": "Обучение", "en": "Coaching"},
    "map.pick_stage": {"ru": "Встаньте на клетку этапа в строке оператора.",
                       "en": "Put the cursor on a stage cell in the operator's row."},
    "map.coach_title": {"ru": "Обучение: {operator}, этап «{stage}». Цель:",
                        "en": "Coaching: {operator}, stage “{stage}”. Goal:"},
    "map.goal_placeholder": {"ru": "Чего должен добиться оператор", "en": "What should improve"},
    "map.coach_set": {"ru": "Задача на обучение поставлена: {operator}, срок {due}.",
                      "en": "Coaching task set: {operator}, due {due}."},
    "coaching.title": {"ru": "Обучение", "en": "Coaching"},
    "coaching.col.operator": {"ru": "Оператор", "en": "Operator"},
    "coaching.col.stage": {"ru": "Этап", "en": "Stage"},
    "coaching.col.before": {"ru": "До", "en": "Before"},
    "coaching.col.after": {"ru": "После", "en": "Since"},
    "coaching.col.verdict": {"ru": "Итог", "en": "Verdict"},
    "coaching.col.due": {"ru": "Срок", "en": "Due"},
    "coaching.col.goal": {"ru": "Цель", "en": "Goal"},
    "coaching.verdict.improved": {"ru": "улучшилось", "en": "improved"},
    "coaching.verdict.not yet": {"ru": "пока рано", "en": "not yet"},
    "coaching.verdict.not improved": {"ru": "без улучшения", "en": "not improved"},
    "coaching.overdue": {"ru": "просрочено", "en": "overdue"},
    "coaching.summary": {
        "ru": "Открытых задач: {open}, требуют внимания: {escalated} (просрочены или без "
              "улучшения). «До» — 30 дней до начала, «после» — с начала; в скобках — оценок.",
        "en": "Open tasks: {open}, needing attention: {escalated} (overdue or not improved). "
              "Before: 30 days before the start; since: from the start; grades in brackets.",
    },
    "map.slices": {"ru": "Срезы", "en": "Slices"},
    "slices.title": {"ru": "Срез дня", "en": "Slice"},
    "slices.previous": {"ru": "Пред. срез", "en": "Prev slice"},
    "slices.next": {"ru": "След. срез", "en": "Next slice"},
    "slices.task": {"ru": "Задача", "en": "Task"},
    "slices.status": {
        "ru": "{day}, срез {at}: отстают {lagging} из {operators} (ниже {share} нормы, "
              "пропорциональной прошедшей части смены)",
        "en": "{day}, slice {at}: {lagging} of {operators} lagging (below {share} of the norm "
              "pro-rated to the shift so far)",
    },
    "slices.metric.calls": {"ru": "Звонки", "en": "Calls"},
    "slices.metric.long_calls": {"ru": "10+ мин", "en": "10+ min"},
    "slices.metric.presentations": {"ru": "Презентации", "en": "Presentations"},
    "slices.metric.meetings_set": {"ru": "Встречи", "en": "Meetings"},
    "slices.metric.invoices": {"ru": "Счета", "en": "Invoices"},
    "slices.metric.payments": {"ru": "Оплаты", "en": "Payments"},
    "slices.result.met": {"ru": "выполнена", "en": "met"},
    "slices.result.missed": {"ru": "не выполнена", "en": "missed"},
    "slices.checked": {"ru": "Задача {result}: {operator}, {metric} {actual} из {target} к {due}",
                       "en": "Task {result}: {operator}, {metric} {actual} of {target} by {due}"},
    "slices.pick_lagging": {"ru": "Встаньте на отстающую клетку (отмечена «!»).",
                            "en": "Put the cursor on a lagging cell (marked “!”)."},
    "slices.task_set": {"ru": "Задача: {operator}, {metric} — {target} к {due}.",
                        "en": "Task: {operator}, {metric} — {target} by {due}."},
    "map.kpi": {"ru": "KPI", "en": "KPI"},
    "kpi.title": {"ru": "KPI", "en": "KPI"},
    "kpi.scheme": {"ru": "Схема", "en": "Scheme"},
    "kpi.export": {"ru": "В Excel", "en": "Export"},
    "kpi.exported": {"ru": "Сохранено: {path}", "en": "Saved: {path}"},
    "kpi.status": {"ru": "{scheme} · {period} · операторов: {operators}",
                   "en": "{scheme} · {period} · operators: {operators}"},
    "kpi.col.operator": {"ru": "Оператор", "en": "Operator"},
    "kpi.col.team": {"ru": "Команда", "en": "Team"},
    "kpi.col.dials": {"ru": "Наборы", "en": "Dials"},
    "kpi.col.effective": {"ru": "Результ.", "en": "Effective"},
    "kpi.col.meetings": {"ru": "Встречи назн./пров.", "en": "Meetings set/held"},
    "kpi.col.deals": {"ru": "Сделки", "en": "Deals"},
    "kpi.col.quality": {"ru": "Качество", "en": "Quality"},
    "kpi.col.payout": {"ru": "Выплата", "en": "Payout"},
    "map.no_grades": {"ru": "За период оценок нет.", "en": "No grades in this period."},
    "map.summary": {
        "ru": "Итого {mean}{interval} по {n} оценкам, критических ошибок: {critical}.",
        "en": "Total {mean}{interval} over {n} grades, critical fails: {critical}.",
    },
    # -- dialogs ---------------------------------------------------------------------------
    "dialog.comment_title": {"ru": "Комментарий к пункту «{item}»",
                             "en": "Comment on “{item}”"},
    "dialog.reason_title": {"ru": "Почему меняется сданная оценка?",
                            "en": "Why does the submitted evaluation change?"},
    "dialog.reason_placeholder": {"ru": "Причина (обязательно)", "en": "Reason (required)"},
    "dialog.reason_required": {"ru": "Без причины изменение не сохранить.",
                               "en": "A change cannot be saved without a reason."},
    "dialog.save": {"ru": "Сохранить", "en": "Save"},
    "dialog.cancel": {"ru": "Отмена", "en": "Cancel"},
    "dialog.result_title": {"ru": "Оценка сдана", "en": "Evaluation submitted"},
    "dialog.result_next": {"ru": "Enter — следующий звонок, Esc — к очереди",
                           "en": "Enter — next call, Esc — back to the queue"},
    # -- trends ----------------------------------------------------------------------------
    "trends.key": {"ru": "Недели", "en": "Weeks"},
    "trends.next_stage": {"ru": "Этап", "en": "Stage"},
    "trends.previous_stage": {"ru": "Предыдущий этап", "en": "Previous stage"},
    "trends.loading": {"ru": "Считаю недели…", "en": "Counting weeks…"},
    "trends.title.total": {"ru": "Итоговая оценка по неделям",
                           "en": "Quality total by week"},
    "trends.title.stage": {"ru": "Этап «{stage}» по неделям", "en": "Stage “{stage}” by week"},
    "trends.legend.team": {"ru": "команда «{team}»", "en": "team {team}"},
    "trends.counts": {"ru": "Оценок по неделям: {counts}.",
                      "en": "Grades per week: {counts}."},
    "trends.team_counts": {"ru": "У команды: {counts}.", "en": "Team: {counts}."},
    "trends.no_grades": {"ru": "За эти недели оценок нет.",
                         "en": "No grades in these weeks."},
    # -- commands (palette) ----------------------------------------------------------------
    "command.next": {"ru": "Следующий звонок из очереди", "en": "Next call from the queue"},
    "command.queue": {"ru": "Открыть очередь", "en": "Open the queue"},
    "command.refresh": {"ru": "Обновить очередь", "en": "Refresh the queue"},
    "command.submit": {"ru": "Сдать оценку", "en": "Submit the evaluation"},
    "command.next_unanswered": {"ru": "Перейти к пункту без ответа",
                                "en": "Go to the next unanswered item"},
    "command.screenshot": {"ru": "Сохранить снимок экрана (SVG)",
                           "en": "Save a screenshot (SVG)"},
    "command.keys": {"ru": "Клавиши", "en": "Keys"},
    "command.keys_help": {"ru": "Все клавиши этого экрана", "en": "Every key of this screen"},
    "command.quit": {"ru": "Выход", "en": "Quit"},
    "command.quit_help": {"ru": "Закрыть приложение (черновик сохранён)",
                          "en": "Close the app (the draft is kept)"},
    "keys.title": {"ru": "Клавиши", "en": "Keys"},
    # -- the operator's own evaluations and disputes ----------------------------------------
    "own.title": {"ru": "Мои оценки", "en": "My evaluations"},
    "own.summary": {"ru": "Оценённых звонков: {count}. Проваленный пункт можно оспорить в "
                          "течение {days} дн. после оценки: выберите пункт и нажмите d.",
                    "en": "Graded calls: {count}. A failed item can be disputed within {days} "
                          "days of grading: pick the item and press d."},
    "own.detail": {"ru": "Звонок {call} · итог {total}", "en": "Call {call} · total {total}"},
    "own.items": {"ru": "Пункты", "en": "Items"},
    "own.dispute": {"ru": "Оспорить", "en": "Dispute"},
    "own.refresh": {"ru": "Обновить", "en": "Refresh"},
    "own.col.started": {"ru": "Звонок от", "en": "Call of"},
    "own.col.call": {"ru": "Звонок", "en": "Call"},
    "own.col.total": {"ru": "Итог", "en": "Total"},
    "own.col.status": {"ru": "Статус", "en": "Status"},
    "own.col.disputes": {"ru": "Споры", "en": "Disputes"},
    "own.col.until": {"ru": "Оспорить до", "en": "Dispute until"},
    "own.col.stage": {"ru": "Этап", "en": "Stage"},
    "own.col.item": {"ru": "Пункт", "en": "Item"},
    "own.col.answer": {"ru": "Ответ", "en": "Answer"},
    "own.col.comment": {"ru": "Комментарий слушателя", "en": "Listener's comment"},
    "own.col.dispute": {"ru": "Спор", "en": "Dispute"},
    "own.status.submitted": {"ru": "оценён", "en": "graded"},
    "own.status.final": {"ru": "окончательно", "en": "final"},
    "own.status.disputed": {"ru": "оспаривается", "en": "disputed"},
    "own.dispute.open": {"ru": "на рассмотрении", "en": "under review"},
    "own.dispute.accepted": {"ru": "принят", "en": "accepted"},
    "own.dispute.rejected": {"ru": "отклонён", "en": "rejected"},
    "own.closed": {"ru": "срок прошёл", "en": "closed"},
    "own.only_failed": {"ru": "Оспорить можно только проваленный пункт.",
                        "en": "Only a failed item can be disputed."},
    "own.window_closed": {"ru": "Срок для спора ({days} дн.) прошёл.",
                          "en": "The {days}-day window to dispute has closed."},
    "own.already": {"ru": "Этот пункт уже оспаривается.", "en": "This item is already disputed."},
    "own.dispute_title": {"ru": "Почему пункт «{item}» выполнен?",
                          "en": "Why was «{item}» done after all?"},
    "own.dispute_placeholder": {"ru": "Например: цену назвала на 3:10",
                                "en": "E.g. I named the price at 3:10"},
    "own.sent": {"ru": "Спор отправлен руководителю.", "en": "Dispute sent to your lead."},
    # -- the lead's disputes ----------------------------------------------------------------
    "map.disputes": {"ru": "Споры", "en": "Disputes"},
    "map.audit": {"ru": "Журнал", "en": "Audit log"},
    "disputes.title": {"ru": "Споры операторов", "en": "Operators' disputes"},
    "disputes.summary": {"ru": "Ждут решения: {open}. a — принять (пункт станет выполненным), "
                               "x — отклонить; причину увидит оператор.",
                         "en": "Waiting: {open}. a accepts (the item becomes a pass), x "
                               "rejects; the operator reads the reason."},
    "disputes.accept": {"ru": "Принять", "en": "Accept"},
    "disputes.reject": {"ru": "Отклонить", "en": "Reject"},
    "disputes.history": {"ru": "Решённые", "en": "Resolved"},
    "disputes.col.opened": {"ru": "Открыт", "en": "Opened"},
    "disputes.col.operator": {"ru": "Оператор", "en": "Operator"},
    "disputes.col.call": {"ru": "Звонок", "en": "Call"},
    "disputes.col.stage": {"ru": "Этап", "en": "Stage"},
    "disputes.col.item": {"ru": "Пункт", "en": "Item"},
    "disputes.col.listener": {"ru": "Слушатель", "en": "Listener"},
    "disputes.col.status": {"ru": "Статус", "en": "Status"},
    "disputes.none": {"ru": "Споров нет.", "en": "No disputes."},
    "disputes.detail": {
        "ru": "{operator}: «{comment}»\nСлушатель {listener}: {listener_comment}\n"
              "Решение: {resolution}",
        "en": "{operator}: «{comment}»\nListener {listener}: {listener_comment}\n"
              "Decision: {resolution}",
    },
    "disputes.pick_open": {"ru": "Выберите нерешённый спор.", "en": "Pick an open dispute."},
    "disputes.accept_title": {"ru": "Принять спор {operator} по пункту {item}: причина",
                              "en": "Accept {operator}'s dispute of {item}: reason"},
    "disputes.reject_title": {"ru": "Отклонить спор {operator} по пункту {item}: причина",
                              "en": "Reject {operator}'s dispute of {item}: reason"},
    "disputes.reason": {"ru": "Причина (её увидит оператор)",
                        "en": "Reason (the operator reads it)"},
    "disputes.accepted": {"ru": "Спор принят, оценка пересчитана.",
                          "en": "Dispute accepted, the grade is recounted."},
    "disputes.rejected": {"ru": "Спор отклонён.", "en": "Dispute rejected."},
    # -- the audit log ----------------------------------------------------------------------
    "audit.title": {"ru": "Журнал изменений", "en": "Audit log"},
    "audit.summary": {"ru": "Записей: {count} (новые сверху) · фильтр: {filter}",
                      "en": "Entries: {count} (newest first) · filter: {filter}"},
    "audit.filter": {"ru": "Фильтр", "en": "Filter"},
    "audit.older": {"ru": "Старее", "en": "Older"},
    "audit.newest": {"ru": "Новые", "en": "Newest"},
    "audit.filter_title": {"ru": "Показать записи, где действие, объект, пользователь или "
                                 "причина содержат:",
                           "en": "Show entries whose action, entity, user or reason contain:"},
    "audit.col.at": {"ru": "Когда", "en": "When"},
    "audit.col.user": {"ru": "Кто", "en": "Who"},
    "audit.col.action": {"ru": "Действие", "en": "Action"},
    "audit.col.entity": {"ru": "Объект", "en": "Entity"},
    "audit.col.reason": {"ru": "Причина", "en": "Reason"},
    "audit.detail": {"ru": "Было: {old}\nСтало: {new}\nПричина: {reason}",
                     "en": "Before: {old}\nAfter: {new}\nReason: {reason}"},
    # -- errors from the grading service ---------------------------------------------------
    "error.no_user": {"ru": "Нет пользователя «{login}»: в демо есть qa и qa2.",
                      "en": "No user {login!r}: the demo creates qa and qa2."},
    "error.may_not_grade": {"ru": "{login} ({role}) не может оценивать звонки.",
                            "en": "{login} ({role}) may not grade calls."},
    "error.assignment_gone": {
        "ru": "Звонок убран из очереди (назначение {assignment} удалено).",
        "en": "The call was taken out of the queue (assignment {assignment} is gone).",
    },
    "error.claimed_by_other": {"ru": "Этот звонок уже взял другой слушатель.",
                               "en": "Another listener has already claimed this call."},
    "error.call_gone": {
        "ru": "Звонок {call} удалён из базы. Ваши ответы сохранены локально: {journal}",
        "en": "Call {call} was deleted from the database. Your answers are kept locally: "
              "{journal}",
    },
    "error.evaluation_gone": {
        "ru": "Оценка {evaluation} удалена из базы. Ваши ответы сохранены локально: {journal}",
        "en": "Evaluation {evaluation} was deleted from the database. Your answers are kept "
              "locally: {journal}",
    },
    "error.card_version_gone": {
        "ru": "Версия карты {version} для этого звонка больше не существует: оценка "
              "невозможна. Черновик сохранён.",
        "en": "Card version {version} of this call no longer exists: it cannot be graded. "
              "The draft is kept.",
    },
    "error.card_unreadable": {
        "ru": "Версию карты {version} не удалось прочитать ({problem}). Черновик сохранён.",
        "en": "Card version {version} cannot be read ({problem}). The draft is kept.",
    },
    "error.not_draft": {"ru": "Оценка уже сдана: изменить её можно только с причиной.",
                        "en": "The evaluation is submitted: it changes only with a reason."},
    "error.not_submitted": {"ru": "Оценка ещё не сдана.", "en": "The evaluation is not "
                                                                  "submitted yet."},
    "error.not_yours": {"ru": "Это оценка другого слушателя.",
                        "en": "This evaluation belongs to another listener."},
    "error.unknown_item": {"ru": "В карте нет пункта {stage}/{item}.",
                           "en": "The card has no item {stage}/{item}."},
    "error.na_not_allowed": {"ru": "Пункт {stage}/{item} не допускает ответа «н/п».",
                             "en": "Item {stage}/{item} does not allow n/a."},
    "error.incomplete": {"ru": "Нет ответа на {count} пункт(ов), первый — {stage}/{item}.",
                         "en": "{count} item(s) unanswered, the first is {stage}/{item}."},
    "error.reason_required": {"ru": "Укажите причину изменения.",
                              "en": "Give a reason for the change."},
    # -- calibration -----------------------------------------------------------------------
    "calibration.menu": {"ru": "Калибровка", "en": "Calibration"},
    "calibration.title": {"ru": "Калибровочные сессии", "en": "Calibration sessions"},
    "calibration.report_title": {"ru": "Калибровка {session}: {title}",
                                 "en": "Calibration {session}: {title}"},
    "calibration.screen_mark": {"ru": "калибровка {session}: оценка вслепую",
                                "en": "calibration {session}: graded blind"},
    "calibration.queue_mark": {"ru": "калибровка {session} · {status}",
                               "en": "calibration {session} · {status}"},
    "calibration.not_invited": {
        "ru": "Этот звонок — в калибровочной сессии {session}, и оценивать его может только "
              "приглашённый слушатель.",
        "en": "This call belongs to calibration session {session}: only the invited "
              "listener may grade it.",
    },
    "calibration.closed": {
        "ru": "Калибровочная сессия {session} закрыта: её оценки больше не меняются.",
        "en": "Calibration session {session} is closed: its grades no longer change.",
    },
    "calibration.open": {"ru": "Отчёт", "en": "Report"},
    "calibration.close": {"ru": "Закрыть сессию", "en": "Close session"},
    "calibration.refresh": {"ru": "Обновить", "en": "Refresh"},
    "calibration.new": {"ru": "Новая сессия", "en": "New session"},
    "calibration.new_title": {"ru": "Новая калибровочная сессия",
                              "en": "New calibration session"},
    "calibration.field.title": {"ru": "Название", "en": "Title"},
    "calibration.field.day": {"ru": "День звонков (ГГГГ-ММ-ДД)",
                              "en": "Day of the calls (YYYY-MM-DD)"},
    "calibration.field.count": {"ru": "Сколько отвеченных звонков выбрать случайно",
                                "en": "How many answered calls to draw at random"},
    "calibration.field.team": {"ru": "Команда", "en": "Team"},
    "calibration.field.all_teams": {"ru": "все команды", "en": "all teams"},
    "calibration.field.listeners": {"ru": "Слушатели (пробел отмечает, нужно хотя бы два)",
                                    "en": "Listeners (space marks; at least two)"},
    "calibration.default_title": {"ru": "Калибровка {day}", "en": "Calibration {day}"},
    "calibration.create": {"ru": "Создать", "en": "Create"},
    "calibration.create_hint": {"ru": "Ctrl+S — создать, Esc — отмена.",
                                "en": "Ctrl+S creates, Esc cancels."},
    "calibration.creating": {"ru": "Создаю сессию…", "en": "Creating the session…"},
    "calibration.bad_day": {"ru": "День: «{day}» — напишите дату как 2026-11-20.",
                            "en": "Day: '{day}' — write a date like 2026-11-20."},
    "calibration.created": {
        "ru": "Сессия {session}: {calls} звонков, у каждого из {listeners} слушателей.",
        "en": "Session {session}: {calls} calls for each of {listeners} listeners."},
    "calibration.all_items": {"ru": "Все пункты / расхождения",
                              "en": "All items / disagreements"},
    "calibration.col.session": {"ru": "№", "en": "No."},
    "calibration.col.title": {"ru": "Название", "en": "Title"},
    "calibration.col.state": {"ru": "Состояние", "en": "State"},
    "calibration.col.progress": {"ru": "Оценено", "en": "Graded"},
    "calibration.col.calls": {"ru": "Звонков", "en": "Calls"},
    "calibration.col.listeners": {"ru": "Слушатели", "en": "Listeners"},
    "calibration.col.created": {"ru": "Создана", "en": "Created"},
    "calibration.col.listener": {"ru": "Слушатель", "en": "Listener"},
    "calibration.col.graded": {"ru": "Оценил", "en": "Graded"},
    "calibration.col.differs": {"ru": "Расходится с другими", "en": "Differs from others"},
    "calibration.col.bias": {"ru": "Итог против группы", "en": "Total vs group"},
    "calibration.col.distance": {"ru": "Среднее отклонение", "en": "Mean distance"},
    "calibration.col.call": {"ru": "Звонок", "en": "Call"},
    "calibration.col.operator": {"ru": "Оператор", "en": "Operator"},
    "calibration.col.spread": {"ru": "Разброс", "en": "Spread"},
    "calibration.col.item": {"ru": "Этап / пункт", "en": "Stage / item"},
    "calibration.col.agreement": {"ru": "Согласие", "en": "Agreement"},
    "calibration.state.open": {"ru": "открыта", "en": "open"},
    "calibration.state.closed": {"ru": "закрыта {day}", "en": "closed {day}"},
    "calibration.empty": {
        "ru": "Сессий нет. n — новая сессия на случайных звонках дня; на выбранных звонках: "
              "scorecard calibration create --call ID -l qa -l qa2",
        "en": "No sessions yet. n starts one on a day's random calls; on chosen calls: "
              "scorecard calibration create --call ID -l qa -l qa2",
    },
    "calibration.status": {"ru": "Открыто {open} из {total}. Enter — отчёт.",
                           "en": "{open} of {total} open. Enter shows the report."},
    "calibration.closed_already": {"ru": "Сессия {session} уже закрыта.",
                                   "en": "Session {session} is closed already."},
    "calibration.close_confirm": {
        "ru": "Закрыть сессию {session}? Оценено {graded} из {expected}; неоценённое будет "
              "отменено. Enter — закрыть, Esc — оставить открытой.",
        "en": "Close session {session}? {graded} of {expected} graded; the rest is "
              "cancelled. Enter closes, Esc keeps it open.",
    },
    "calibration.closed_now": {"ru": "Сессия {session} закрыта: оценено {graded} из {expected}.",
                               "en": "Session {session} closed: {graded} of {expected} graded."},
    "calibration.progress": {"ru": "Оценено {graded} из {expected}, звонков: {calls}.",
                             "en": "{graded} of {expected} graded, {calls} call(s)."},
    "calibration.alpha": {"ru": "Альфа Криппендорфа: {alpha} —",
                          "en": "Krippendorff's alpha: {alpha} —"},
    "calibration.reading.good": {"ru": "хорошее согласие (от 0,8)",
                                 "en": "good agreement (0.8 or more)"},
    "calibration.reading.tentative": {
        "ru": "условное согласие (0,667–0,8): выводы только с осторожностью",
        "en": "tentative agreement (0.667–0.8): draw conclusions with care",
    },
    "calibration.reading.poor": {
        "ru": "слабое согласие (ниже 0,667): слушатели понимают карту по-разному",
        "en": "poor agreement (below 0.667): the listeners read the card differently",
    },
    "calibration.reading.no_data": {
        "ru": "пока не считается: ни один звонок не оценён двумя слушателями",
        "en": "not computable yet: no call is graded by two listeners",
    },
    "calibration.reading.no_variation": {
        "ru": "не определена: все ответили на все пункты одинаково",
        "en": "undefined: everyone gave every item the same answer",
    },
    "calibration.observed": {
        "ru": "Пунктов с двумя и более ответами: {units}, полностью согласны в {observed}; "
              "расхождений: {disagree}.",
        "en": "{units} item(s) answered by two or more listeners, all agreeing in {observed}; "
              "{disagree} disagreement(s).",
    },
    "calibration.weak_stages": {"ru": "Этапы со слабым согласием: {stages}",
                                "en": "Stages with poor agreement: {stages}"},
    "calibration.answer.pass": {"ru": "да", "en": "pass"},
    "calibration.answer.fail": {"ru": "нет", "en": "fail"},
    "calibration.answer.na": {"ru": "н/п", "en": "n/a"},
    "calibration.no_disagreements": {"ru": "Расхождений нет.", "en": "No disagreements."},
    "calibration.showing_all": {"ru": "Показаны все пункты.", "en": "Showing every item."},
    "calibration.showing_disagreements": {"ru": "Показаны только расхождения.",
                                          "en": "Showing disagreements only."},
}


@dataclass(frozen=True)
class Catalogue:
    """Messages in one language; calling it formats one message."""

    language: str

    def __call__(self, key: str, **params: object) -> str:
        return MESSAGES[key][self.language].format(**params)


def system_language() -> str:
    """ru when the locale says Russian, else en (the locale is read, never set)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "ru" if value.lower().startswith(("ru", "uk", "be", "kk")) else "en"
    return "en"


def resolve_language(option: str | None, configured: str | None) -> str:
    """``--lang`` > the config file > the system locale."""
    for candidate in (option, configured):
        if candidate:
            language = candidate.lower()[:2]
            if language not in LANGUAGES:
                from scorecard.errors import ScorecardError

                raise ScorecardError(f"language {candidate!r} is not available: use ru or en")
            return language
    return system_language()
