@ECHO off
echo hello
