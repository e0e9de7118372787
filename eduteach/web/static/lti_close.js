// LTI Dynamic Registration: tell the LMS the registration is finished so it can close its dialog.
(window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
