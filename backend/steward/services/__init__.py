"""Services and bookings (预约服务 / 代办): a catalogue per community and for the town, weekly schedules
in the town's time with exceptions, slots generated ahead, bookings whose capacity the database holds
under concurrency, a waitlist promoted on the queue, check-in by code, on-request services, reminders,
calendars and reports."""
